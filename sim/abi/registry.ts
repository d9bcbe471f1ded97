/**
 * Paravirtual interfaces by name, as written under `host.abi`, and what follows from the
 * declarations (sim/abi/interface.ts): the names `host.abi` accepts, the clocks
 * `guests[].kernel.clock` accepts and which interface each needs, the interface a guest actually
 * binds at boot and the clock it then keeps. Nothing outside sim/abi names an interface: it asks
 * here. Adding an interface is its folder and one line below.
 */
import type { HostSpec } from '../spec/run-spec.js';
import type { GuestClockDecl, InterfaceDecl } from './interface.js';
import { nativeInterface } from './native/native-interface.js';
import { vmiInterface } from './vmi/vmi-interface.js';
import { xenInterface } from './xen/xen-interface.js';

/** The interfaces a host may offer, in the order `vmisim list` and the schema show them. */
export const INTERFACES: Readonly<Record<string, InterfaceDecl>> = {
  vmi: vmiInterface,
  xen: xenInterface,
};

/** The interface `host.abi` defaults to. */
export const DEFAULT_INTERFACE = vmiInterface.name;

/** What a guest runs when it refuses the interface offered; its clock is the one any guest may keep. */
export const FALLBACK_INTERFACE: InterfaceDecl = nativeInterface;

/** `auto`: a guest keeps the clock of the interface it bound. */
export const AUTO_CLOCK = 'auto';

/** The names `host.abi` accepts. */
export function interfaceNames(): [string, ...string[]] {
  return Object.keys(INTERFACES) as [string, ...string[]];
}

/** The interface registered as `name`; throws for a name validation rules out. */
export function interfaceNamed(name: string): InterfaceDecl {
  const d = Object.hasOwn(INTERFACES, name) ? INTERFACES[name] : undefined;
  if (d === undefined) throw new Error(`unknown paravirtual interface '${name}'`);
  return d;
}

/** Every clock a guest may keep: the fallback's first, then each interface's, once each. */
export function guestClocks(): GuestClockDecl[] {
  const out: GuestClockDecl[] = [FALLBACK_INTERFACE.clock];
  for (const d of Object.values(INTERFACES)) if (!out.some((c) => c.name === d.clock.name)) out.push(d.clock);
  return out;
}

/**
 * The interface a guest must bind to keep clock `clock`, or undefined when any will do (`auto`,
 * or the fallback's clock, which needs none).
 */
export function interfaceForClock(clock: string): InterfaceDecl | undefined {
  if (clock === AUTO_CLOCK || clock === FALLBACK_INTERFACE.clock.name) return undefined;
  return Object.values(INTERFACES).find((d) => d.clock.name === clock);
}

/**
 * The host memory semantics (sim/spec/memory-semantics.ts) `host.memorySemantics: auto` means on a
 * host offering `abi`: VMI → esx, Xen → xen-pv. The offered interface decides, not the one a guest
 * binds: a guest that refuses the VMI ROM still runs on the ESX host that offered it.
 */
export function memorySemanticsOf(abi: string): string {
  return interfaceNamed(abi).memorySemantics;
}

/**
 * The hypervisor hole a host offering `abi` keeps at the top of a guest kernel's address space,
 * bytes (it shrinks lowmem). The offered interface decides: a guest that refuses the VMI ROM would
 * keep all 896 MiB, which is not modelled.
 */
export function hypervisorHoleBytesOf(abi: string, host: Pick<HostSpec, 'vmiRom'>, pae: boolean): number {
  return interfaceNamed(abi).hypervisorHoleBytes?.(host, pae) ?? 0;
}

/**
 * Why a guest asking for `clock` cannot have it on a host offering `abi`, for the experiment's
 * error message; undefined if it can.
 */
export function clockMismatch(clock: string, abi: string): string | undefined {
  const needs = interfaceForClock(clock);
  if (needs === undefined || needs.name === abi) return undefined;
  return `clock '${clock}' needs host.abi ${needs.name}, but the host offers ${abi}; use '${FALLBACK_INTERFACE.clock.name}', '${AUTO_CLOCK}' or the matching interface`;
}

/**
 * Boot-time binding, as the guest kernel does it: the interface the host offers if the guest
 * accepts it (VMI's ROM check), else the fallback, with the reason as a note. Decided once per run:
 * every guest sees the same offer.
 */
export function bindInterface(host: HostSpec): { decl: InterfaceDecl; note: string | undefined } {
  const offered = interfaceNamed(host.abi);
  const check = offered.bootCheck?.(host) ?? { accepted: true };
  return check.accepted
    ? { decl: offered, note: undefined }
    : { decl: FALLBACK_INTERFACE, note: check.reason };
}

/**
 * The clock a guest keeps: `auto` follows the interface it bound; the fallback's clock is always
 * there; any other clock needs its own interface, and without it the guest falls back to counting
 * ticks, with the reason added to its note.
 */
export function resolveClock(
  asked: string,
  bound: InterfaceDecl,
  note: string | undefined,
): { clock: GuestClockDecl; note: string | undefined } {
  const fallback = FALLBACK_INTERFACE.clock;
  if (asked === AUTO_CLOCK || asked === bound.clock.name) return { clock: bound.clock, note };
  if (asked === fallback.name) return { clock: fallback, note };
  return {
    clock: fallback,
    note: `${note ?? `runs ${bound.name}`}; clock '${asked}' unavailable, counting ticks`,
  };
}

/**
 * What each interface's calls count, for the report's interface comparison: one sentence,
 * e.g. `VMI counts ROM calls, …; Xen counts hypercalls, …`.
 */
export function callCatalogue(): string {
  const parts = Object.values(INTERFACES).flatMap((d) =>
    d.catalogue === undefined ? [] : [`${d.catalogue.label} counts ${d.catalogue.counts}`],
  );
  return parts.length === 0 ? '' : `${parts.join('; ')}.`;
}
