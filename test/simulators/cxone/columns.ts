/**
 * The entities the simulator knows, their versions and their CSV columns. The QM workflow columns are
 * the reference doc's list, names and order exactly (including the en dash in "Score – Percentage").
 */

export const QM_WORKFLOW_COLUMNS: readonly string[] = [
  'Tenant Name',
  'Agent ID',
  'Type',
  'Evaluation Flow Trigger',
  'Workflow Status',
  'Auto Acknowledged',
  'Workflow State',
  'Plan Name',
  'Form Name',
  'Form Version',
  'Start Date',
  'Submission Date',
  'Last Updated',
  'Score – Percentage',
  'Score',
  'Maximum Possible Score',
  'Rank',
  'Failed Critical Question',
  'User Review Comments',
  'Dispute Resolver Comments',
  'Segment ID',
  'ACD ID',
  'Interaction Type',
  'Interaction Start Date',
  'Interaction End Date',
  'Interaction Direction',
  'Team ID',
  'Team Name',
  'Phone Number',
  'FirstName (Eva)',
  'LastName (Eva)',
  'FirstName (Agent)',
  'LastName (Agent)',
  'FirstName (Disp)',
  'LastName (Disp)',
  'FirstName (Assigner)',
  'LastName (Assigner)',
];

/** Not documented by the vendor; these are the column names seen in code that reads these files. */
export const INTERACTION_METADATA_COLUMNS: readonly string[] = [
  'ACD Call ID',
  'Start Date',
  'Voice Recording Status',
  'Agent 1 Skills',
  'Agent 1 ACD ID',
  'Agent 1 Name',
  'Agent 1 Team',
  'Agent 1 Contact Number',
  'Segment ID',
  'ANI',
  'DNIS',
  'Disposition',
];

export type CxoneEntityKind = 'qm-workflows' | 'recording-interaction-metadata';

/** entityName -> versions that exist. Anything else is answered 404, as for a missing entity. */
export const CXONE_SIM_ENTITIES: Readonly<Record<CxoneEntityKind, readonly string[]>> = {
  'qm-workflows': ['1', '3', '4'],
  'recording-interaction-metadata': ['7', '10', '12'],
};

export function isKnownEntity(entityName: string): entityName is CxoneEntityKind {
  return Object.hasOwn(CXONE_SIM_ENTITIES, entityName);
}

export function hasVersion(entityName: CxoneEntityKind, version: string): boolean {
  return CXONE_SIM_ENTITIES[entityName].includes(version);
}

export function columnsOf(entityName: CxoneEntityKind): readonly string[] {
  return entityName === 'qm-workflows' ? QM_WORKFLOW_COLUMNS : INTERACTION_METADATA_COLUMNS;
}
