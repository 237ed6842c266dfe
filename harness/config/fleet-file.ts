import { type FleetSpec, FleetSpecSchema } from '../schema/fleet.js';
import { readDataFile, validate } from './load.js';
import { importConfigModule, isModuleFile } from './modules.js';

/** Load a fleet from YAML, JSON or a TS/JS module (`export default defineFleet({...})`). */
export async function loadFleet(file: string): Promise<FleetSpec> {
  const data = isModuleFile(file) ? await importConfigModule(file, 'fleet') : await readDataFile(file);
  return validate(FleetSpecSchema, data, file);
}
