import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  type Dashboard,
  DashboardBuilder,
  DatasourceVariableBuilder,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { z } from 'zod';

/** One PromQL query of a panel; `legend` is Grafana's legendFormat. */
export const PanelQuerySchema = z.object({ expr: z.string().min(1), legend: z.string().optional() });
export type PanelQuery = z.infer<typeof PanelQuerySchema>;

/** A panel as plain data; the Grafana JSON is built from it with the Foundation SDK's typed builders. */
export const PanelSpecSchema = z.object({
  title: z.string(),
  description: z.string(),
  kind: z.enum(['timeseries', 'stat']),
  unit: z.string().default('short'),
  queries: z.array(PanelQuerySchema).min(1),
  /** Red below the first step, green from it (stat panels such as uptime). */
  greenFrom: z.number().optional(),
  /** Set on panels reading metrics a later command will export (e.g. `load`). */
  pending: z.string().optional(),
});
export type PanelSpec = z.input<typeof PanelSpecSchema>;

export const RowSpecSchema = z.object({ title: z.string(), panels: z.array(PanelSpecSchema) });
export type RowSpec = z.input<typeof RowSpecSchema>;

export const DashboardSpecSchema = z.object({
  uid: z.string().regex(/^[a-z0-9-]{1,40}$/),
  title: z.string(),
  description: z.string(),
  /** Template variables: name → the label whose values it offers (`label_values(metric, label)`). */
  variables: z.array(z.object({ name: z.string(), metric: z.string(), label: z.string() })).default([]),
  rows: z.array(RowSpecSchema).min(1),
});
export type DashboardSpec = z.input<typeof DashboardSpecSchema>;

/** Panels use the dashboard's `datasource` variable, so an import can pick any Prometheus. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panel(spec: z.output<typeof PanelSpecSchema>): cog.Builder<Panel> {
  const description = spec.pending ? `${spec.description} (${spec.pending})` : spec.description;
  const targets = spec.queries.map((q, i) => {
    const t = new DataqueryBuilder().expr(q.expr).refId(String.fromCharCode(65 + i));
    return q.legend ? t.legendFormat(q.legend) : t;
  });
  const thresholds =
    spec.greenFrom === undefined
      ? undefined
      : new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
          { value: null, color: 'red' },
          { value: spec.greenFrom, color: 'green' },
        ]);
  const p =
    spec.kind === 'stat'
      ? new StatPanelBuilder().height(5).span(6)
      : new TimeseriesPanelBuilder().height(8).span(12);
  p.title(spec.title).description(description).unit(spec.unit).datasource(DATASOURCE);
  if (thresholds) p.thresholds(thresholds);
  for (const t of targets) p.withTarget(t);
  return p;
}

/** Build a dashboard's JSON model from its spec (validated first: a spec error is a bug here). */
export function buildDashboard(input: DashboardSpec): Dashboard {
  const spec = DashboardSpecSchema.parse(input);
  const d = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['mcp-harness', 'generated'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'));
  for (const v of spec.variables) {
    d.withVariable(
      new QueryVariableBuilder(v.name)
        .label(v.name)
        .datasource(DATASOURCE)
        .query(`label_values(${v.metric}, ${v.label})`)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  }
  for (const row of spec.rows) {
    d.withRow(new RowBuilder(row.title));
    for (const p of row.panels) d.withPanel(panel(p));
  }
  return d.build();
}

/** Every PromQL expression of a spec, with the panel it belongs to. */
export function specQueries(input: DashboardSpec): Array<{ where: string; expr: string; pending?: string }> {
  const spec = DashboardSpecSchema.parse(input);
  return spec.rows.flatMap((row) =>
    row.panels.flatMap((p) =>
      p.queries.map((q) => ({ where: `${spec.uid} › ${p.title}`, expr: q.expr, pending: p.pending })),
    ),
  );
}
