import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** A fresh app writing its assembly to a temporary directory (bundling runs for real). */
export function testApp(): App {
  return new App({ outdir: mkdtempSync(join(tmpdir(), 'mirror-cdk-')) });
}

export interface IamStatement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Sid?: string;
  Condition?: unknown;
  Principal?: unknown;
}

/** Every statement of every IAM policy in the template: managed, inline, role inline and trust policies. */
export function iamStatements(template: Template): IamStatement[] {
  const statements: IamStatement[] = [];
  const collect = (document: unknown) => {
    const list = (document as { Statement?: IamStatement[] } | undefined)?.Statement ?? [];
    statements.push(...list);
  };
  for (const resource of Object.values(template.toJSON().Resources as Record<string, CfnResourceJson>)) {
    const p = resource.Properties ?? {};
    collect(p.PolicyDocument);
    collect(p.AssumeRolePolicyDocument);
    for (const inline of (p.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) collect(inline.PolicyDocument);
  }
  return statements;
}

export function actionsOf(statement: IamStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** The AwsSolutions findings left on a stack (errors and warnings) after its acknowledgements. */
export function nagFindings(stack: Stack): { rule: string; severity: string | undefined; paths: string[] }[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity,
    paths: v.violatingResources.map((r) => r.constructPath ?? '(unknown)'),
  }));
}

/** Every acknowledgement (suppression) recorded below `scope`: rule id and reason. */
export function acknowledgements(scope: IConstruct): { id: string; reason: string; path: string }[] {
  const found: { id: string; reason: string; path: string }[] = [];
  for (const node of scope.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push({ id: id.replace(/^annotation::/i, ''), reason: String(reason), path: node.node.path });
      }
    }
  }
  return found;
}
