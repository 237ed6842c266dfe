import { z } from 'zod';

/** Where Grafana finds the generated files and the Prometheus to query. */
export const ProvisioningOptionsSchema = z.object({
  prometheusUrl: z.url().default('http://localhost:9090'),
  /** The directory Grafana reads the dashboard JSON from (inside the Grafana host or container). */
  dashboardsPath: z.string().min(1).default('/var/lib/grafana/dashboards/mcp-harness'),
});
export type ProvisioningOptions = z.input<typeof ProvisioningOptionsSchema>;

export const DATASOURCE_UID = 'mcp-harness-prometheus';

/** `provisioning/datasources/mcp-harness.yaml`: one Prometheus datasource, the default. */
export function datasourceProvisioning(options: ProvisioningOptions = {}) {
  const o = ProvisioningOptionsSchema.parse(options);
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'mcp-harness Prometheus',
        uid: DATASOURCE_UID,
        type: 'prometheus',
        access: 'proxy',
        url: o.prometheusUrl,
        isDefault: true,
        jsonData: { timeInterval: '15s' },
      },
    ],
  };
}

/** `provisioning/dashboards/mcp-harness.yaml`: a file provider for the generated dashboards. */
export function dashboardProvisioning(options: ProvisioningOptions = {}) {
  const o = ProvisioningOptionsSchema.parse(options);
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'mcp-harness',
        folder: 'MCP',
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: true,
        updateIntervalSeconds: 60,
        options: { path: o.dashboardsPath },
      },
    ],
  };
}
