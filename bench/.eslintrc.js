module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The benchmarks drive the plugin's and modules' internals (the agent, the envelope parser)
    // and the plugin's test utilities on purpose: they measure the code, not a published interface.
    '@backstage/no-forbidden-package-imports': 'off',
    'no-restricted-imports': 'off',
    // They run from source and are never built, so `__dirname` is where the file is.
    'no-restricted-syntax': 'off',
  },
});
