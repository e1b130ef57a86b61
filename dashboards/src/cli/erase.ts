/**
 * `waymark erase --user-id U | --anonymous-id A [--project P] [--by NAME]`: a data-subject
 * deletion (dashboards/README.md, "Erasure"). Prints the report: ids found and rows deleted.
 */
import { userInfo } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import type { DashboardsConfig } from '../config.js';
import { erase, erasureInput } from '../erasure.js';
import { parseFlags, UsageError } from './flags.js';

export const ERASE_USAGE = `usage: waymark erase --user-id ID | --anonymous-id ID [--project ID] [--by NAME] [--json]

Deletes the person's events and identity links (every anonymous id and user id the identity map
joins them to), keeps any replay from storing them again, and records an audit entry (who, when,
how many rows; ids as hashes only). --by names who asked (default: the login name).`;

const FLAGS = {
  'user-id': { type: 'string' },
  'anonymous-id': { type: 'string' },
  project: { type: 'string' },
  by: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runEraseCommand(
  args: string[],
  deps: { config: DashboardsConfig; client: ClickHouseClient },
): Promise<string> {
  const values = parseFlags(args, FLAGS);
  if (values.help) return ERASE_USAGE;
  const project = values.project
    ? deps.config.projects.find((p) => p.id === values.project)
    : deps.config.projects[0];
  if (!project) throw new UsageError(`unknown project ${values.project}`);
  const parsed = erasureInput.safeParse({
    ...(values['user-id'] === undefined ? {} : { userId: values['user-id'] }),
    ...(values['anonymous-id'] === undefined ? {} : { anonymousId: values['anonymous-id'] }),
  });
  if (!parsed.success) {
    throw new UsageError(
      `--user-id / --anonymous-id: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  const by = values.by ?? `cli:${userInfo().username}`;
  const report = await erase(
    deps.client,
    deps.config.clickhouse.database,
    project.id,
    parsed.data,
    by,
  );
  if (values.json) return JSON.stringify(report, null, 2);
  return [
    `erasure ${report.erasureId} in project ${report.projectId}`,
    `ids found: ${report.anonymousIds} anonymous, ${report.userIds} user`,
    `rows deleted: ${report.eventRows} events, ${report.identityRows} identity links`,
    'further events carrying these ids are dropped by the processor',
  ].join('\n');
}
