// Test helpers shared with other projects' tests (the CLI's install tests): fixtures and the
// real parsers (supervisor, systemd-analyze, plistutil). Not part of the built package.
export * from './fixtures.js';
export * from './real-tools.js';
