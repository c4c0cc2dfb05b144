module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The benchmarks drive the plugin's and modules' internals (the agent, the envelope parser)
    // on purpose: they measure the code, not a published interface.
    '@backstage/no-forbidden-package-imports': 'off',
    // They report on the console.
    'no-console': 'off',
  },
});
