// VMI option ROM: header offsets of struct vrom_header and the 2.6.21 check_vmi_rom /
// probe_vmi_rom rules, as recorded in reference/time-cpu-abi.md §1.2.
import { describe, expect, it } from 'vitest';
import { VMI_SIGNATURE } from '../../../sim/abi/vmi/constants.js';
import {
  checkVmiRom,
  encodeVmiRom,
  probeVmiRom,
  VROM_HEADER_BYTES,
  VROM_OFFSETS,
  type VmiRomOptions,
} from '../../../sim/abi/vmi/rom.js';

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) + u16(b, at + 2) * 0x10000) >>> 0;
const cstr = (b: Uint8Array, at: number): string => {
  let s = '';
  for (let i = at; b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
};

function refusal(opts: VmiRomOptions): string {
  const r = checkVmiRom(encodeVmiRom(opts));
  if (r.ok) throw new Error('expected a refusal');
  return r.reason;
}

describe('encodeVmiRom: struct vrom_header layout (reference §1.2, packed, 144 bytes)', () => {
  // Distinct values in every field, read back at the documented offsets.
  const rom = encodeVmiRom({
    apiMinor: 7,
    apiMajor: 3,
    jumpSlots: 0x2a,
    virtualTop: 0xffc01234,
    license: 'GPL v2',
    pci: { vendor: 0x1234, device: 0x5678 },
  });

  it('has the offsets the reference lists', () => {
    expect(VROM_HEADER_BYTES).toBe(144);
    expect(VROM_OFFSETS).toMatchObject({
      romSignature: 0,
      romLength: 2,
      romEntry: 3,
      romPad0: 7,
      vromSignature: 8,
      apiVersionMin: 12,
      apiVersionMaj: 13,
      jumpSlots: 14,
      reserved1: 15,
      virtualTop: 16,
      reserved2: 20,
      licenseOffs: 22,
      pciHeaderOffs: 24,
      pnpHeaderOffs: 26,
      romPad3: 28,
      reserved: 32,
      vmiInit: 128,
      getReloc: 136,
    });
  });

  it('puts each field at its offset, little-endian', () => {
    expect([rom[0], rom[1]]).toEqual([0x55, 0xaa]); // rom_signature 0xAA55 @0
    expect(rom[2]).toBe(rom.length / 512); // rom_length @2, 512-byte chunks
    expect(u32(rom, 8)).toBe(VMI_SIGNATURE); // vrom_signature @8
    expect([...rom.subarray(8, 12)].map((c) => String.fromCharCode(c)).join('')).toBe('cVmi');
    expect(rom[12]).toBe(7); // api_version_min @12
    expect(rom[13]).toBe(3); // api_version_maj @13
    expect(rom[14]).toBe(0x2a); // jump_slots @14
    expect(u32(rom, 16)).toBe(0xffc01234); // virtual_top @16
    expect(u16(rom, 26)).toBe(0); // pnp_header_offs @26: none
  });

  it('points license_offs @22 at a NUL-terminated licence and pci_header_offs @24 at a PCIR structure', () => {
    const lic = u16(rom, 22);
    const pci = u16(rom, 24);
    expect(lic).toBeGreaterThanOrEqual(144);
    expect(pci).toBeGreaterThanOrEqual(144);
    expect(cstr(rom, lic)).toBe('GPL v2');
    expect(String.fromCharCode(...rom.subarray(pci, pci + 4))).toBe('PCIR');
    expect(u16(rom, pci + 4)).toBe(0x1234); // vendor @+4
    expect(u16(rom, pci + 6)).toBe(0x5678); // device @+6
  });

  it('is whole 512-byte chunks summing to 0 mod 256', () => {
    expect(rom.length % 512).toBe(0);
    expect(rom.reduce((s, b) => (s + b) & 0xff, 0)).toBe(0);
  });

  it('writes zero offsets for a missing licence or PCI header', () => {
    const bare = encodeVmiRom({ license: null, pci: null });
    expect(u16(bare, 22)).toBe(0);
    expect(u16(bare, 24)).toBe(0);
  });

  it('throws only on a programming error (a value that does not fit its field)', () => {
    expect(() => encodeVmiRom({ apiMajor: 256 })).toThrow(RangeError);
    expect(() => encodeVmiRom({ virtualTop: -1 })).toThrow(RangeError);
    expect(() => encodeVmiRom({ license: 'GPL\0' })).toThrow(RangeError);
  });
});

describe('checkVmiRom: check_vmi_rom acceptance rules (reference §1.2)', () => {
  it('accepts the default ROM: API 3.0, GPL, VMware PCI header, no warnings', () => {
    expect(checkVmiRom(encodeVmiRom({ virtualTop: 0xfc000000 }))).toEqual({
      ok: true,
      apiMajor: 3,
      apiMinor: 0,
      virtualTop: 0xfc000000,
      warnings: [],
    });
  });

  it('refuses a wrong rom_signature', () => {
    expect(refusal({ romSignature: 0xaa56 })).toMatch(/rom_signature/);
  });

  it('refuses a wrong vrom_signature', () => {
    expect(refusal({ vromSignature: 0x696d5664 })).toMatch(/vrom_signature/);
  });

  it('refuses API major 2 (the 2006 RFC spec) and 4', () => {
    expect(refusal({ apiMajor: 2 })).toMatch(/version 2\.0/);
    expect(refusal({ apiMajor: 4 })).toMatch(/version 4\.0/);
  });

  it('accepts any minor with major 3, e.g. 3.7', () => {
    const r = checkVmiRom(encodeVmiRom({ apiMinor: 7 }));
    expect(r).toMatchObject({ ok: true, apiMajor: 3, apiMinor: 7 });
    expect(checkVmiRom(encodeVmiRom({ apiMinor: 255 })).ok).toBe(true);
  });

  it('accepts exactly "GPL" and "GPL v2"', () => {
    expect(checkVmiRom(encodeVmiRom({ license: 'GPL' })).ok).toBe(true);
    expect(checkVmiRom(encodeVmiRom({ license: 'GPL v2' })).ok).toBe(true);
  });

  it.each(['GPL v3', 'Proprietary', 'gpl', 'GPL ', 'Dual BSD/GPL', ''])('refuses licence %j', (license) => {
    expect(refusal({ license })).toMatch(/non-GPL licence/);
  });

  it('refuses a missing licence (license_offs 0 = "unspecified")', () => {
    expect(refusal({ license: null })).toMatch(/unspecified/);
  });

  it('refuses a ROM without a PCI header', () => {
    expect(refusal({ pci: null })).toMatch(/PCI header/);
  });

  it('accepts another vendor/device with a warning only', () => {
    const r = checkVmiRom(encodeVmiRom({ pci: { vendor: 0x8086, device: 0x1234 } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/unknown manufacturer.*0x8086:0x1234/);
    // Matching vendor but other device also only warns.
    const d = checkVmiRom(encodeVmiRom({ pci: { vendor: 0x15ad, device: 0x0802 } }));
    expect(d.ok && d.warnings.length).toBe(1);
  });

  it('checks in the kernel order: the first failing rule is the reason', () => {
    expect(refusal({ romSignature: 0, apiMajor: 2, license: 'Proprietary' })).toMatch(/rom_signature/);
    expect(refusal({ apiMajor: 2, pci: null, license: 'Proprietary' })).toMatch(/version/);
    expect(refusal({ pci: null, license: 'Proprietary' })).toMatch(/PCI header/);
  });

  it('refuses, without throwing, images too short or with an unterminated licence', () => {
    expect(checkVmiRom(new Uint8Array(100)).ok).toBe(false);
    const rom = encodeVmiRom();
    const lic = u16(rom, 22);
    expect(checkVmiRom(rom.subarray(0, lic + 3))).toMatchObject({ ok: false, reason: /unterminated/ });
  });
});

describe('probeVmiRom: scan 0xC0000 ≤ base < 0xE0000 in 2048-byte steps (reference §1.2)', () => {
  const AREA = 0xe0000 - 0xc0000;

  it('finds a ROM placed at 0xC8000', () => {
    const mem = new Uint8Array(AREA);
    mem.set(encodeVmiRom({ virtualTop: 0xff000000 }), 0xc8000 - 0xc0000);
    expect(probeVmiRom(mem)).toMatchObject({
      found: true,
      address: 0xc8000,
      rom: { virtualTop: 0xff000000 },
    });
  });

  it('ignores a ROM not on a 2048-byte boundary', () => {
    const mem = new Uint8Array(AREA);
    mem.set(encodeVmiRom(), 0xc8000 - 0xc0000 + 512);
    const r = probeVmiRom(mem);
    expect(r.found).toBe(false);
    if (!r.found) expect(r.refused).toEqual([]);
  });

  it('takes the first accepted ROM and reports refused candidates before it', () => {
    const mem = new Uint8Array(AREA);
    mem.set(encodeVmiRom({ license: 'Proprietary' }), 0xc0000 - 0xc0000); // e.g. a VGA-like slot
    mem.set(encodeVmiRom({ apiMinor: 1 }), 0xd0800 - 0xc0000);
    mem.set(encodeVmiRom({ apiMinor: 2 }), 0xdf800 - 0xc0000);
    expect(probeVmiRom(mem)).toMatchObject({ found: true, address: 0xd0800, rom: { apiMinor: 1 } });
  });

  it('says why nothing was found', () => {
    const mem = new Uint8Array(AREA);
    mem.set(encodeVmiRom({ apiMajor: 2 }), 0xc8000 - 0xc0000);
    const r = probeVmiRom(mem);
    expect(r).toMatchObject({ found: false, refused: [{ address: 0xc8000, reason: /version 2\.0/ }] });
  });

  it('honours baseAddress and never scans at or above 0xE0000', () => {
    const mem = new Uint8Array(0x10000);
    mem.set(encodeVmiRom(), 0x8000); // physical 0xD8000 when the area starts at 0xD0000
    expect(probeVmiRom(mem, 0xd0000)).toMatchObject({ found: true, address: 0xd8000 });
    const high = new Uint8Array(0x1000);
    high.set(encodeVmiRom(), 0);
    expect(probeVmiRom(high, 0xe0000)).toMatchObject({ found: false });
  });
});
