/**
 * What a report says about the simulator that results do not carry (reports read results only):
 * taken here from the declarations, for `vmisim run` and `vmisim report` alike.
 */
import { callCatalogue } from '../abi/registry.js';
import type { ReportNotes } from '../../reports/interface-section.js';

export function reportNotes(): ReportNotes {
  return { interfaceCalls: callCatalogue() };
}
