/**
 * The VMI option ROM as bytes: build a `struct vrom_header` image, check it with the acceptance
 * rules of Linux 2.6.21's `check_vmi_rom()`, and scan the option-ROM area as `probe_vmi_rom()`
 * does. Source: reference/time-cpu-abi.md §1.2 (header layout, offsets measured for i386,
 * packed, 144 bytes; constants from include/asm-i386/vmi.h).
 *
 * A bad ROM is data, not an exception: checkVmiRom/probeVmiRom return a discriminated union with
 * the reason, so a caller can count refusals. Only a programming error (e.g. a field value that
 * does not fit its byte width when encoding) throws.
 */
import { VMI_API_REV_MAJOR, VMI_API_REV_MINOR, VMI_SIGNATURE } from './constants.js';

/** Standard option-ROM signature (bytes 55 AA at offset 0, read as a little-endian u16). */
export const OPTION_ROM_SIGNATURE = 0xaa55;
/** rom_length counts 512-byte chunks. */
export const ROM_CHUNK_BYTES = 512;
export const PCI_VENDOR_ID_VMWARE = 0x15ad;
export const PCI_DEVICE_ID_VMWARE_VMI = 0x0801;
/** The only licence strings the 2.6.21 guest accepts ("no binary only shim layers"). */
export const VMI_ACCEPTED_LICENSES: readonly string[] = ['GPL', 'GPL v2'];

/** probe_vmi_rom() scans 0xC0000 ≤ base < 0xE0000 in steps of 2048 bytes. */
export const VMI_ROM_SCAN_START = 0xc0000;
export const VMI_ROM_SCAN_END = 0xe0000;
export const VMI_ROM_SCAN_STEP = 2048;

/** Byte offsets of `struct vrom_header` (packed; i386, measured — reference §1.2). */
export const VROM_OFFSETS = {
  romSignature: 0, // u16
  romLength: 2, // u8, 512-byte chunks
  romEntry: 3, // u8[4], 16-bit entry
  romPad0: 7, // u8
  vromSignature: 8, // u32 "cVmi"
  apiVersionMin: 12, // u8
  apiVersionMaj: 13, // u8
  jumpSlots: 14, // u8
  reserved1: 15, // u8
  virtualTop: 16, // u32, hypervisor VA start
  reserved2: 20, // u16
  licenseOffs: 22, // u16 -> NUL-terminated licence string
  pciHeaderOffs: 24, // u16 (= 0x18, where the PCI ROM standard keeps this pointer)
  pnpHeaderOffs: 26, // u16
  romPad3: 28, // u32
  reserved: 32, // u8[96]
  vmiInit: 128, // char[8], VMI_Init jump point
  getReloc: 136, // char[8], VMI_GetRelocationInfo jump point
} as const;
export const VROM_HEADER_BYTES = 144;

/**
 * PCI option-ROM data structure. This is not VMI-specific: it is the standard layout of the PCI
 * Firmware Specification ("PCI Data Structure"): signature 'PCIR' @0, vendor u16 @4, device u16
 * @6, device-list pointer u16 @8, structure length u16 @10 (= 24), structure revision u8 @12,
 * class code u8[3] @13, image length u16 @16 (512-byte units), code/data revision u16 @18, code
 * type u8 @20 (0 = x86 PC-AT), indicator u8 @21 (bit 7 = last image), u16 @22.
 */
export const PCI_DATA_SIGNATURE = 0x52494350; // 'PCIR' read as a little-endian u32
export const PCI_DATA_BYTES = 24;
const PCI_OFF_VENDOR = 4;
const PCI_OFF_DEVICE = 6;
const PCI_OFF_LENGTH = 10;
const PCI_OFF_IMAGE_LENGTH = 16;
const PCI_OFF_INDICATOR = 21;
const PCI_INDICATOR_LAST_IMAGE = 0x80;

/** What to put into a ROM image; every field defaults to a ROM the 2.6.21 guest accepts. */
export interface VmiRomOptions {
  /** u16 @0; default 0xAA55. */
  romSignature?: number;
  /** u32 @8; default VMI_SIGNATURE ("cVmi"). */
  vromSignature?: number;
  /** u8 @13; default VMI_API_REV_MAJOR (3). */
  apiMajor?: number;
  /** u8 @12; default VMI_API_REV_MINOR (0). */
  apiMinor?: number;
  /** u8 @14; default 0 (the reference gives no value). */
  jumpSlots?: number;
  /** u32 @16: start of the hypervisor hole; default 0 (the reference gives no value). */
  virtualTop?: number;
  /** Licence string (ASCII, NUL-terminated in the image); null = license_offs 0. Default "GPL". */
  license?: string | null;
  /** PCI vendor/device in the PCI data structure; null = pci_header_offs 0. Default 15AD:0801. */
  pci?: { vendor: number; device: number } | null;
}

/** Result of checkVmiRom: accepted (with the fields the guest goes on to use) or refused. */
export type VmiRomCheck =
  | { ok: true; apiMajor: number; apiMinor: number; virtualTop: number; warnings: string[] }
  | { ok: false; reason: string };

/** Result of probeVmiRom: the first accepted ROM's physical address, or why none was. */
export type VmiRomProbe =
  | { found: true; address: number; rom: Extract<VmiRomCheck, { ok: true }> }
  | {
      found: false;
      reason: string;
      /** Candidates that carried the 0xAA55 option-ROM signature but were refused. */
      refused: { address: number; reason: string }[];
    };

function checkUint(name: string, value: number, bits: 8 | 16 | 32): number {
  const max = 2 ** bits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
  return value;
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0x7f)
      throw new RangeError(`licence must be ASCII without NUL, got ${JSON.stringify(s)}`);
    out[i] = c;
  }
  return out;
}

/**
 * Build a ROM image: the 144-byte header, then (if any) the PCI data structure at 144 and the
 * licence string after it; the image is padded to whole 512-byte chunks (rom_length) and its
 * last byte makes all bytes sum to 0 mod 256 (the BIOS option-ROM checksum convention, which
 * check_vmi_rom does not test). vmi_init/get_reloc stay zero: no ROM code is modelled.
 * Throws RangeError only for a field value that does not fit its width.
 */
export function encodeVmiRom(opts: VmiRomOptions = {}): Uint8Array {
  const license = opts.license === undefined ? 'GPL' : opts.license;
  const pci =
    opts.pci === undefined ? { vendor: PCI_VENDOR_ID_VMWARE, device: PCI_DEVICE_ID_VMWARE_VMI } : opts.pci;
  const licenseBytes = license === null ? null : asciiBytes(license);

  let end = VROM_HEADER_BYTES;
  const pciOffs = pci === null ? 0 : end;
  if (pci !== null) end += PCI_DATA_BYTES;
  const licenseOffs = licenseBytes === null ? 0 : end;
  if (licenseBytes !== null) end += licenseBytes.length + 1; // + NUL
  // + 1 keeps a spare byte for the checksum after everything else.
  const chunks = Math.ceil((end + 1) / ROM_CHUNK_BYTES);
  checkUint('rom_length (chunks)', chunks, 8);
  const size = chunks * ROM_CHUNK_BYTES;

  const rom = new Uint8Array(size);
  const v = new DataView(rom.buffer);
  const O = VROM_OFFSETS;
  v.setUint16(O.romSignature, checkUint('romSignature', opts.romSignature ?? OPTION_ROM_SIGNATURE, 16), true);
  v.setUint8(O.romLength, chunks);
  v.setUint32(O.vromSignature, checkUint('vromSignature', opts.vromSignature ?? VMI_SIGNATURE, 32), true);
  v.setUint8(O.apiVersionMin, checkUint('apiMinor', opts.apiMinor ?? VMI_API_REV_MINOR, 8));
  v.setUint8(O.apiVersionMaj, checkUint('apiMajor', opts.apiMajor ?? VMI_API_REV_MAJOR, 8));
  v.setUint8(O.jumpSlots, checkUint('jumpSlots', opts.jumpSlots ?? 0, 8));
  v.setUint32(O.virtualTop, checkUint('virtualTop', opts.virtualTop ?? 0, 32), true);
  v.setUint16(O.licenseOffs, licenseOffs, true);
  v.setUint16(O.pciHeaderOffs, pciOffs, true);
  v.setUint16(O.pnpHeaderOffs, 0, true);

  if (pci !== null) {
    v.setUint32(pciOffs, PCI_DATA_SIGNATURE, true);
    v.setUint16(pciOffs + PCI_OFF_VENDOR, checkUint('pci.vendor', pci.vendor, 16), true);
    v.setUint16(pciOffs + PCI_OFF_DEVICE, checkUint('pci.device', pci.device, 16), true);
    v.setUint16(pciOffs + PCI_OFF_LENGTH, PCI_DATA_BYTES, true);
    v.setUint16(pciOffs + PCI_OFF_IMAGE_LENGTH, chunks, true);
    v.setUint8(pciOffs + PCI_OFF_INDICATOR, PCI_INDICATOR_LAST_IMAGE);
  }
  if (licenseBytes !== null) rom.set(licenseBytes, licenseOffs); // NUL already there (zeroed)

  let sum = 0;
  for (let i = 0; i < size - 1; i++) sum = (sum + rom[i]!) & 0xff;
  rom[size - 1] = (0x100 - sum) & 0xff;
  return rom;
}

/** NUL-terminated ASCII string at `offs`, or null if it runs off the end of `bytes`. */
function cString(bytes: Uint8Array, offs: number): string | null {
  let s = '';
  for (let i = offs; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0) return s;
    s += String.fromCharCode(c);
  }
  return null;
}

const hex = (n: number, width: number): string => '0x' + n.toString(16).padStart(width, '0');

/**
 * The acceptance rules of 2.6.21 `check_vmi_rom()`, in the kernel's order (reference §1.2):
 *  1. rom_signature == 0xAA55, 2. vrom_signature == VMI_SIGNATURE,
 *  3. api_version_maj == 3 and min+1 ≥ VMI_API_REV_MINOR+1 (always true for a u8: any minor),
 *  4. a PCI header is present (pci_header_offs ≠ 0); vendor/device ≠ 15AD:0801 only warns,
 *  5. the licence string is exactly "GPL" or "GPL v2" (no licence counts as refused).
 * `bytes` starts at the ROM header; the kernel reads the strings from memory without bounding
 * them by rom_length, so this reads up to the end of `bytes` (a header, PCI structure or string
 * that runs past it is a refusal here, where the kernel would read whatever memory follows).
 */
export function checkVmiRom(bytes: Uint8Array): VmiRomCheck {
  if (bytes.length < VROM_HEADER_BYTES) {
    return {
      ok: false,
      reason: `image is ${bytes.length} bytes, shorter than the ${VROM_HEADER_BYTES}-byte header`,
    };
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const O = VROM_OFFSETS;
  const romSig = v.getUint16(O.romSignature, true);
  if (romSig !== OPTION_ROM_SIGNATURE) {
    return { ok: false, reason: `rom_signature ${hex(romSig, 4)} is not 0xaa55` };
  }
  const vromSig = v.getUint32(O.vromSignature, true);
  if (vromSig !== VMI_SIGNATURE) {
    return {
      ok: false,
      reason: `vrom_signature ${hex(vromSig, 8)} is not VMI_SIGNATURE ${hex(VMI_SIGNATURE, 8)}`,
    };
  }
  const apiMinor = v.getUint8(O.apiVersionMin);
  const apiMajor = v.getUint8(O.apiVersionMaj);
  if (apiMajor !== VMI_API_REV_MAJOR || apiMinor + 1 < VMI_API_REV_MINOR + 1) {
    return {
      ok: false,
      reason: `mismatched ROM API version ${apiMajor}.${apiMinor} (need major ${VMI_API_REV_MAJOR})`,
    };
  }
  const warnings: string[] = [];
  const pciOffs = v.getUint16(O.pciHeaderOffs, true);
  if (pciOffs === 0) return { ok: false, reason: 'ROM does not contain a PCI header' };
  if (pciOffs + PCI_OFF_DEVICE + 2 > bytes.length) {
    return { ok: false, reason: `PCI header at ${hex(pciOffs, 4)} runs past the end of the image` };
  }
  if (v.getUint32(pciOffs, true) !== PCI_DATA_SIGNATURE) {
    // The kernel does not look at the signature; we note it but keep its verdict.
    warnings.push(`PCI header at ${hex(pciOffs, 4)} lacks the 'PCIR' signature`);
  }
  const vendor = v.getUint16(pciOffs + PCI_OFF_VENDOR, true);
  const device = v.getUint16(pciOffs + PCI_OFF_DEVICE, true);
  if (vendor !== PCI_VENDOR_ID_VMWARE || device !== PCI_DEVICE_ID_VMWARE_VMI) {
    warnings.push(
      `ROM from unknown manufacturer: PCI ${hex(vendor, 4)}:${hex(device, 4)}, not 0x15ad:0x0801`,
    );
  }
  const licenseOffs = v.getUint16(O.licenseOffs, true);
  const license = licenseOffs === 0 ? null : cString(bytes, licenseOffs);
  if (license === null || !VMI_ACCEPTED_LICENSES.includes(license)) {
    const shown =
      licenseOffs === 0 ? 'unspecified' : license === null ? 'unterminated' : JSON.stringify(license);
    return { ok: false, reason: `non-GPL licence ${shown} for ROM: not used` };
  }
  return { ok: true, apiMajor, apiMinor, virtualTop: v.getUint32(O.virtualTop, true), warnings };
}

/**
 * probe_vmi_rom(): try check_vmi_rom at every base = 0xC0000, 0xC0800, … < 0xE0000 and take the
 * first accepted one. `optionRomArea` holds physical memory starting at `baseAddress`; bases
 * outside it are skipped, so a ROM not on a 2048-byte boundary is never seen.
 */
export function probeVmiRom(optionRomArea: Uint8Array, baseAddress = VMI_ROM_SCAN_START): VmiRomProbe {
  if (!Number.isInteger(baseAddress) || baseAddress < 0) {
    throw new RangeError(`baseAddress must be a non-negative integer, got ${baseAddress}`);
  }
  const refused: { address: number; reason: string }[] = [];
  let scanned = 0;
  for (let base = VMI_ROM_SCAN_START; base < VMI_ROM_SCAN_END; base += VMI_ROM_SCAN_STEP) {
    const at = base - baseAddress;
    if (at < 0 || at >= optionRomArea.length) continue;
    scanned++;
    const result = checkVmiRom(optionRomArea.subarray(at));
    if (result.ok) return { found: true, address: base, rom: result };
    // Report only candidates that look like option ROMs at all; the rest is empty memory.
    if (at + 2 <= optionRomArea.length && optionRomArea[at] === 0x55 && optionRomArea[at + 1] === 0xaa) {
      refused.push({ address: base, reason: result.reason });
    }
  }
  const reason =
    scanned === 0
      ? 'the given area does not overlap 0xC0000..0xE0000'
      : refused.length === 0
        ? `no option ROM signature at any of ${scanned} 2048-byte boundaries`
        : `${refused.length} option ROM(s) found, none accepted`;
  return { found: false, reason, refused };
}
