/**
 * The clause audit of this suite: its catalog, the checks its step files register and its scenarios.
 * It imports the step files, so call it only in a process that does not run Cucumber afterwards
 * (ES modules register their steps once per process: a later run would find none).
 */

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { loadCatalog } from '../catalog/load.ts';
import { CODE_EXTENSION, CODE_ROOT, PACKAGE_ROOT, STEP_FILES } from '../package-layout.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { auditClauses, type ClauseAudit } from './clause-audit.ts';
import { loadScenarios } from './scenarios.ts';

export async function clauseAuditOfTheSuite(): Promise<ClauseAudit> {
  // Cucumber loads the step files (it accepts step definitions only while it loads them).
  const environment = { cwd: PACKAGE_ROOT };
  const { runConfiguration } = await loadConfiguration(
    { file: false, provided: { paths: [], import: [STEP_FILES] } },
    environment,
  );
  await loadSupport(runConfiguration, environment);
  const { registeredChecks } = (await import(
    pathToFileURL(path.join(CODE_ROOT, 'steps', `check${CODE_EXTENSION}`)).href
  )) as typeof import('../../steps/check.ts');
  return auditClauses({
    catalog: await loadCatalog(DEFAULT_OPTIONS.catalogFile),
    checks: registeredChecks(),
    scenarios: await loadScenarios(path.join(PACKAGE_ROOT, 'features')),
  });
}
