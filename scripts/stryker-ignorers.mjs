// Mutants `npm run mutation` leaves out, and why (stryker.config.mjs, BENCHMARKS.md). The mutation test
// is one defect-free conformance run, so two kinds of the reference client's code cannot change its
// outcome by construction; Stryker reports their mutants as ignored, with the reason below, instead of
// as survivors:
// - a named defect's switch (`this.#defect === '…'`, `!== '…'`, and an `&&` or `||` such a switch
//   decides) and what only a defect runs behind it (the if-block, the `?:` arm, the right side of the
//   `&&`). Off in the defect-free run by construction; switched on, a mutant of the switch is the
//   defect itself (or the defect and more), and test/defects.test.ts (npm test) runs every defect and
//   shows it caught on its requirement.
// - the client's log lines (`this.#log(…)`, `log(…)`, and the description `this.#changed(…)` logs):
//   evidence text attached to the report, read by no check, as Stryker's own documentation does with
//   console.log. The `#changed` call itself is still mutated: it also tells the listeners.
// Plain JavaScript: Stryker loads plugins itself.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/** `this.#defect === '…'` or `defect === '…'` (`!==` for `negated`): a named defect's switch. */
function isDefectGuard(node, negated) {
  return (
    node.type === 'BinaryExpression' &&
    node.operator === (negated ? '!==' : '===') &&
    (isPrivateMember(node.left, 'defect') ||
      (node.left.type === 'Identifier' && node.left.name === 'defect')) &&
    node.right.type === 'StringLiteral'
  );
}

/**
 * The value a condition always has in the defect-free run, where it has one: false for a defect's
 * `===` switch, true for its `!==` one, and what `!`, `&&` and `||` make of those; undefined otherwise.
 */
function constantValue(node) {
  if (isDefectGuard(node, false)) return false;
  if (isDefectGuard(node, true)) return true;
  if (node.type === 'UnaryExpression' && node.operator === '!') {
    const value = constantValue(node.argument);
    return value === undefined ? undefined : !value;
  }
  if (node.type !== 'LogicalExpression' || (node.operator !== '&&' && node.operator !== '||'))
    return undefined;
  const decisive = node.operator === '||'; // the operand value that decides the whole
  const left = constantValue(node.left);
  const right = constantValue(node.right);
  if (left === decisive || right === decisive) return decisive;
  return left === !decisive && right === !decisive ? !decisive : undefined;
}

function isPrivateMember(node, name) {
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'ThisExpression' &&
    node.property.type === 'PrivateName' &&
    node.property.id.name === name
  );
}

/** The code a branch on `parent` runs only when a defect is on. */
function onlyWithDefect(parent, key) {
  switch (parent.type) {
    case 'IfStatement':
    case 'ConditionalExpression':
      return (
        (key === 'consequent' && constantValue(parent.test) === false) ||
        (key === 'alternate' && constantValue(parent.test) === true)
      );
    case 'LogicalExpression':
      return (
        key === 'right' &&
        ((parent.operator === '&&' && constantValue(parent.left) === false) ||
          (parent.operator === '||' && constantValue(parent.left) === true))
      );
    default:
      return false;
  }
}

const DefectBranches = {
  shouldIgnore(path) {
    if (constantValue(path.node) !== undefined) {
      return "a named defect's switch: constant in the defect-free run; switched the other way it is the defect, which test/defects.test.ts shows caught";
    }
    const parent = path.parentPath?.node;
    return parent && onlyWithDefect(parent, path.key)
      ? 'runs only with a named defect on: the defect-free mutation run cannot reach it; test/defects.test.ts runs each defect'
      : undefined;
  },
};

const LOG_TEXT = "the client's log: evidence text no check reads";

const ClientLog = {
  shouldIgnore(path) {
    const parent = path.parentPath?.node;
    if (
      path.listKey === 'arguments' &&
      path.key === 0 &&
      parent?.type === 'CallExpression' &&
      isPrivateMember(parent.callee, 'changed')
    ) {
      return LOG_TEXT;
    }
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
    return isLog ? LOG_TEXT : undefined;
  },
};

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'DefectBranches', DefectBranches),
  declareValuePlugin(PluginKind.Ignore, 'ClientLog', ClientLog),
];
