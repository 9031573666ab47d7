// Mutants `npm run mutation` leaves out, and why (stryker.config.mjs, BENCHMARKS.md). The mutation test
// is one defect-free conformance run, so two kinds of the reference client's code cannot change its
// outcome by construction; Stryker reports their mutants as ignored, with the reason below, instead of
// as survivors:
// - what only a named defect runs: the branch behind `this.#defect === '…'` (its if-block, the `?:`
//   arm, the right side of `&&`). test/defects.test.ts (npm test) runs every defect and shows it caught.
//   The guard itself is still mutated: made true, it switches the defect on in the clean run (killed).
// - the client's log lines (`this.#log(…)`, `log(…)`): evidence text attached to the report, read by no
//   check, as Stryker's own documentation does with console.log.
// Plain JavaScript: Stryker loads plugins itself.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** `this.#defect === '…'` (or `defect === '…'`) and the `&&` / `||` of such guards: false whenever no defect is on. */
function isDefectGuard(node) {
  if (node.type === 'LogicalExpression') {
    return node.operator === '&&'
      ? isDefectGuard(node.left) || isDefectGuard(node.right)
      : isDefectGuard(node.left) && isDefectGuard(node.right);
  }
  return (
    node.type === 'BinaryExpression' &&
    node.operator === '===' &&
    (isPrivateMember(node.left, 'defect') ||
      (node.left.type === 'Identifier' && node.left.name === 'defect')) &&
    node.right.type === 'StringLiteral'
  );
}

function isPrivateMember(node, name) {
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'ThisExpression' &&
    node.property.type === 'PrivateName' &&
    node.property.id.name === name
  );
}

const DefectBranches = {
  shouldIgnore(path) {
    const parent = path.parentPath?.node;
    if (!parent) return undefined;
    const guarded =
      ((parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') &&
        path.key === 'consequent' &&
        isDefectGuard(parent.test)) ||
      (parent.type === 'LogicalExpression' &&
        parent.operator === '&&' &&
        path.key === 'right' &&
        isDefectGuard(parent.left));
    return guarded
      ? 'runs only with a named defect on: the defect-free mutation run cannot reach it; test/defects.test.ts runs each defect'
      : undefined;
  },
};

const ClientLog = {
  shouldIgnore(path) {
    if (!path.isExpressionStatement()) return undefined;
    const call = path.node.expression;
    if (call.type !== 'CallExpression') return undefined;
    const { callee } = call;
    const isLog =
      isPrivateMember(callee, 'log') ||
      (callee.type === 'Identifier' && callee.name === 'log') ||
      (callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'options' &&
        callee.property.type === 'Identifier' &&
        callee.property.name === 'log');
    return isLog ? "the client's log: evidence text no check reads" : undefined;
  },
};

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'DefectBranches', DefectBranches),
  declareValuePlugin(PluginKind.Ignore, 'ClientLog', ClientLog),
];
