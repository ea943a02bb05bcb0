/**
 * The contract between the CDK app (lib/) and the handler (lambda/): names, defaults, limits
 * and pure parsers both sides use. It imports nothing outside this folder — no node:, no
 * packages — so lib/ can import it without pulling in runtime code.
 */
export * from './aggregation.js';
export * from './allowed-urls.js';
export * from './amp.js';
export * from './cidrs.js';
export * from './defaults.js';
export * from './env.js';
export * from './limits.js';
export * from './names.js';
export * from './parsed.js';
export * from './roles.js';
export * from './store-url.js';
