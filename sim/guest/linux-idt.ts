/**
 * The IDT a Linux 2.6.21 i386 guest installs at boot, gate by gate, so both interfaces are
 * handed the same table: exceptions 0–19 (trap gates; interrupt gates for debug 1, NMI 2 and
 * page fault 14; system gates, DPL 3, for int3 3, overflow 4 and bounds 5; a task gate for double
 * fault 8), an interrupt gate for every external vector 0x20–0xFF except the system-call vector
 * 0x80, which is a DPL 3 trap gate. 244 present gates. This layout is recalled from
 * arch/i386/kernel/traps.c trap_init and i8259.c init_IRQ, not from the reference.
 */
import { Idt, type IdtGate } from '../abi/i386/idt.js';

/** Linux's kernel code segment selector on i386 (__KERNEL_CS, GDT entry 12). */
export const KERNEL_CS = 0x60;
export const SYSCALL_VECTOR = 0x80;
const FIRST_EXTERNAL_VECTOR = 0x20;
/** Where the model places handler entry points: any non-zero kernel address will do. */
const HANDLER_BASE = 0xc0100000;

export function linuxBootIdt(): Idt {
  const idt = new Idt();
  const gate = (type: IdtGate['type'], dpl: IdtGate['dpl'], vector: number): IdtGate => ({
    offset: type === 'task' ? 0 : HANDLER_BASE + vector * 16,
    selector: type === 'task' ? 0xf8 : KERNEL_CS,
    type,
    dpl,
    present: true,
  });
  const set = (vector: number, g: IdtGate) => {
    const r = idt.setGate(vector, g);
    if (!r.ok) throw new Error(`linux boot IDT: ${r.error.message}`);
  };
  for (let v = 0; v < 20; v++) {
    if (v === 8) set(v, gate('task', 0, v));
    else if (v === 1 || v === 2 || v === 14) set(v, gate('interrupt', 0, v));
    else if (v >= 3 && v <= 5) set(v, gate('trap', 3, v));
    else set(v, gate('trap', 0, v));
  }
  for (let v = FIRST_EXTERNAL_VECTOR; v < 256; v++) {
    set(v, v === SYSCALL_VECTOR ? gate('trap', 3, v) : gate('interrupt', 0, v));
  }
  return idt;
}
