import root from '../../eslint.config.mjs';

const RULE = '@nx/enforce-module-boundaries';
const [severity, options] = root.find((entry) => entry.rules?.[RULE])?.rules[RULE] ?? [];

/**
 * The workspace rules, plus one exception: the operator commands' tests run both emulators
 * (tools) in-process. Code under src/ still may not import any tool.
 */
export default [
  ...root,
  {
    files: ['tests/**/*.ts'],
    rules: { [RULE]: [severity, { ...options, allow: [...(options?.allow ?? []), '@provisioning/terranova-sim', '@provisioning/jumpcloud-sim'] }] },
  },
  // This file extends the workspace config, which belongs to no project (as vitest.config.ts does).
  { files: ['eslint.config.mjs'], rules: { [RULE]: 'off' } },
];
