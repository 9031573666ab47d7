/**
 * The default profile of `npx cucumber-js` in the clone (cucumber.mjs): the suite on the default
 * target (the reference client, Windows 4.7), with the tags and world parameters a run gives that
 * target (target.ts), so that Cucumber's own command line and the Cucumber IDE extensions find and
 * run the steps as the runner does. Evidence goes below reports/cucumber-js/.
 */
import path from 'node:path';
import { loadCatalog } from '../catalog/load.ts';
import { PACKAGE_ROOT } from '../package-layout.ts';
import { DEFAULT_OPTIONS, DEFAULT_TARGETS } from './options.ts';
import { suiteConfiguration, targetJob, targetReportDir } from './target.ts';
import { findVersionTags } from './target-tags.ts';

export async function cucumberProfile() {
  const { targets: _targets, catalogFile, ...options } = DEFAULT_OPTIONS;
  const target = DEFAULT_TARGETS[0];
  if (target === undefined) throw new Error('no default target');
  const reportDir = path.join(DEFAULT_OPTIONS.reportDir, 'cucumber-js');
  const job = targetJob(options, target, {
    catalog: await loadCatalog(catalogFile),
    versionTags: await findVersionTags(path.join(PACKAGE_ROOT, 'features')),
    reportDir,
  });
  const configuration = suiteConfiguration(job, targetReportDir(reportDir, target));
  return {
    ...configuration,
    format: ['progress'],
    // Outside the runner no one else stops the simulated world and the browser when the run ends.
    worldParameters: { ...configuration.worldParameters, releaseAtEnd: true },
  };
}
