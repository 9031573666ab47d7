// `npx cucumber-js` in the clone (Node 24: the steps are TypeScript): the suite on the default
// target, as `connector-conformance run` gives it that target (src/runner/cucumber-profile.ts).
export default async function profiles() {
  const { cucumberProfile } = await import('./src/runner/cucumber-profile.ts');
  return { default: await cucumberProfile() };
}
