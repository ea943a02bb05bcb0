#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addMirrorStacks, loadTenantsConfig, readerRoleFromContext } from '../lib/mirror-app.js';
import { TenantsConfigError } from '../lib/tenants-config.js';

// One app: a StackStateMirror-<tenant> stack per tenant and a StackStateMirrorReader-<name>
// stack per reader role, from config/tenants.json (or -c tenantsFile=<path>).
const app = new App();
try {
  const tenantsFile = app.node.tryGetContext('tenantsFile') as string | undefined;
  const { config } = loadTenantsConfig(tenantsFile);
  const contextReader = readerRoleFromContext((key) => app.node.tryGetContext(key));
  const readerRoles = contextReader === undefined ? config.readerRoles : [contextReader];
  addMirrorStacks(app, { ...config, readerRoles });
} catch (error) {
  if (!(error instanceof TenantsConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
