import { Button } from '@mantine/core';
import { useState } from 'react';
import { exportSubject } from '../../../shared/filenames.ts';
import type { JobRecord, Recipe } from '../../../shared/jobs.ts';
import { findProvider } from '../../../shared/providers/index.ts';
import { useStores } from '../../stores/context.tsx';
import { ScheduleDialog } from './ScheduleDialog.tsx';

/** A new schedule's name: the recipe's own, else the vendor and what it exports ("OmniQ communications"). */
export function defaultScheduleName(recipe: Recipe, job?: JobRecord): string {
  const own = recipe.name?.trim();
  if (own) return own;
  const vendor = findProvider(recipe.provider)?.name ?? recipe.provider;
  const subject = exportSubject(job ?? { recipe, createdAt: '' });
  return subject === vendor ? vendor : `${vendor} ${subject}`;
}

/** "Schedule…": opens the schedule dialog for a recipe; once saved, the Schedules page shows it. */
export function ScheduleButton({ recipe, job, title }: { recipe: Recipe; job?: JobRecord; title: string }) {
  const stores = useStores();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="xs"
        variant="default"
        onClick={() => setOpen(true)}
        aria-label={`Schedule ${title}`}
        aria-haspopup="dialog"
      >
        Schedule…
      </Button>
      {open && (
        <ScheduleDialog
          opened
          onClose={() => setOpen(false)}
          recipe={recipe}
          defaultName={defaultScheduleName(recipe, job)}
          onSaved={() => stores.app.getState().navigate('schedules')}
        />
      )}
    </>
  );
}
