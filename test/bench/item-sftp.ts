/**
 * Measurement 3, SFTP + gzip (IntelePeer-style): gzip CSV shards on a real OpenSSH server on 127.0.0.1
 * (sshd-fixture.ts), Export Desk (child-sftp.ts: the IntelePeer provider's SFTP reader, gunzip, spool, save as CSV) against
 * `sftp get` of the shards followed by `zcat` into one file, alternating. Throughput is compressed
 * bytes over wall time. CPU time is shown beside it (Export Desk's after start-up, sftp's with its ssh and
 * zcat's; the server's in neither), steadier than wall time on a loaded machine.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { scaled } from './args.ts';
import type { SftpInput } from './child-sftp.ts';
import { countCsvRecords } from './csv-check.ts';
import { writeGzShards } from './file-server.ts';
import { fixed, int, ratio, runsText, type BenchItem } from './items.ts';
import type { ProcessStats } from './protocol.ts';
import { runChild } from './spawn.ts';
import { startSshd } from './sshd-fixture.ts';
import { series } from './stats.ts';
import { endedChildrenCpuMs, runTool } from './tools.ts';

type SftpReport = ProcessStats & {
  rows: number;
  totalMs: number;
  /** Downloading and spooling, then the save (child-sftp.ts), wall and CPU after start-up. */
  fetchMs: number;
  saveMs: number;
  fetchCpuMs: number;
  saveCpuMs: number;
};
const TARGET = 0.8;
const MB = 2 ** 20;
const SHARDS = 3;

export const sftpItem: BenchItem = {
  n: 3,
  key: 'sftp',
  title: 'SFTP + gzip (IntelePeer-style)',
  async run({ opts, workDir, log }) {
    const remoteDir = path.join(workDir, 'remote');
    await mkdir(remoteDir);
    const target = scaled(opts, 200 * MB, MB);
    log(`Writing ${SHARDS} gzip shards, about ${fixed(target / MB, 0)} MiB…`);
    const { names, rows } = await writeGzShards(remoteDir, target, SHARDS);
    let gzBytes = 0;
    for (const n of names) gzBytes += (await stat(path.join(remoteDir, n))).size;
    const ssh = await startSshd(path.join(workDir, 'ssh'));
    const ed: SftpReport[] = [];
    const bl: number[] = [];
    /** CPU of sftp (with its ssh) and zcat per run, where it can be read; the server's is in neither side. */
    const blCpu: number[] = [];
    try {
      for (let i = 0; i < opts.runs; i++) {
        const out = path.join(workDir, 'export-desk.csv');
        const input: SftpInput = { ...ssh, remoteDir, names, workDir: path.join(workDir, `ed-${i}`), out };
        const r = await runChild<SftpReport>('child-sftp.ts', input, { exportDesk: true });
        if (r.rows !== rows || (await countCsvRecords(out)) !== rows + 1)
          throw new Error(`Export Desk saved ${r.rows} rows of ${rows}`);
        await rm(out);
        await rm(input.workDir, { recursive: true, force: true });
        ed.push(r);
        log(`  ${i + 1}/${opts.runs}: Export Desk ${fixed(r.totalMs / 1000, 1)} s`);

        const local = path.join(workDir, `bl-${i}`);
        await mkdir(local);
        const batch = names.map((n) => `get ${remoteDir}/${n} ${local}/${n}`).join('\n');
        const sftpArgs = `-q -b - -i ${ssh.keyFile} -P ${ssh.port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes ${ssh.username}@${ssh.host}`;
        const joined = path.join(workDir, 'baseline.csv');
        const cpu0 = endedChildrenCpuMs();
        const t0 = performance.now();
        await runTool('sftp', sftpArgs.split(' '), { input: `${batch}\n` });
        await runTool('sh', ['-c', `zcat ${names.map((n) => `'${local}/${n}'`).join(' ')} > '${joined}'`]);
        bl.push(performance.now() - t0);
        const cpu1 = endedChildrenCpuMs();
        if (cpu0 !== undefined && cpu1 !== undefined) blCpu.push(cpu1 - cpu0);
        // Each shard keeps its header, as zcat leaves them.
        if ((await countCsvRecords(joined)) !== rows + SHARDS)
          throw new Error('sftp + zcat produced the wrong number of rows');
        await rm(local, { recursive: true, force: true });
        await rm(joined);
        log(`  ${i + 1}/${opts.runs}: sftp + zcat ${fixed((bl.at(-1) ?? 0) / 1000, 1)} s`);
      }
    } finally {
      await ssh.close();
    }
    const mbps = (ms: number): number => gzBytes / MB / (ms / 1000);
    const edRate = series(ed.map((r) => mbps(r.totalMs)));
    const blRate = series(bl.map(mbps));
    const share = edRate.median / blRate.median;
    const edCpu = series(ed.map((r) => (r.fetchCpuMs + r.saveCpuMs) / 1000));
    const blCpuS = blCpu.length === bl.length ? series(blCpu.map((ms) => ms / 1000)) : undefined;
    return {
      data: {
        gzBytes,
        shards: SHARDS,
        rows,
        exportDesk: ed,
        baselineMs: bl,
        exportDeskCpuS: edCpu,
        ...(blCpuS ? { baselineCpuS: blCpuS } : {}),
        exportDeskMiBps: edRate,
        baselineMiBps: blRate,
        ratio: share,
      },
      tables: [
        {
          title: `3. SFTP + gzip: ${SHARDS} shards, ${fixed(gzBytes / MB, 0)} MiB compressed, ${int(rows)} rows, OpenSSH on 127.0.0.1, median of ${opts.runs}`,
          header: ['', 'compressed MiB/s', 'runs', 'peak RSS MiB', 'CPU s'],
          rows: [
            [
              'Export Desk (SFTP read-ahead → gunzip → spool → CSV)',
              fixed(edRate.median, 1),
              runsText(edRate.runs, 1),
              fixed(series(ed.map((r) => r.peakRssKb / 1024)).median, 0),
              fixed(edCpu.median, 2),
            ],
            [
              'sftp get, then zcat into one file',
              fixed(blRate.median, 1),
              runsText(blRate.runs, 1),
              '',
              blCpuS ? fixed(blCpuS.median, 2) : '',
            ],
            [
              'Export Desk ÷ baseline',
              ratio(share),
              '',
              '',
              blCpuS ? ratio(edCpu.median / blCpuS.median) : '',
            ],
          ],
          leftColumns: 1,
        },
      ],
      verdicts: [
        {
          what: '3. SFTP + gzip, throughput vs sftp + zcat',
          figure: ratio(share),
          target: `≥ ${TARGET.toFixed(2)}×`,
          met: share >= TARGET,
        },
      ],
    };
  },
};
