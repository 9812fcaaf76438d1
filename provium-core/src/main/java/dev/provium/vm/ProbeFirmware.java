package dev.provium.vm;

import java.util.Arrays;

/**
 * A 64 KiB {@code -bios} image that proves an accelerator runs guest code: from the reset vector it
 * enters 32-bit protected mode and writes 1 to the isa-debug-exit port 0xf4, so QEMU exits with
 * status (1 << 1) | 1 = 3.
 *
 * <p>Why protected mode: on hosts with a broken nested KVM (this project's CI kind) a real-mode
 * {@code mov al,1; out 0xf4,al} runs fine under {@code -accel kvm} and exits 3, yet a Linux guest
 * hangs; the protected-mode switch is where such a host hangs too (measured: real mode exits 3 in
 * 0.1 s, this image times out under KVM and exits 3 under TCG).
 *
 * <p>The image maps at 0xF0000 (and at 0xFFFF0000, where the CPU starts). Assembled from:
 * <pre>
 *   .org 0xE000                                  ; code, at linear 0xFE000
 *   cli
 *   lgdtl %cs:gdt_descriptor                     ; 2E 66 0F 01 16 40 E0
 *   mov %cr0,%eax ; or $1,%al ; mov %eax,%cr0    ; protection enable
 *   ljmpl $0x08, $0xFE018                        ; reload CS with the flat 32-bit code segment
 *   .code32                                      ; at 0xE018
 *   mov $0x10,%ax ; mov %ax,%ds
 *   mov $1,%al ; out %al,$0xf4                   ; B0 01 E6 F4: isa-debug-exit
 *   1: hlt ; jmp 1b
 *   .org 0xE028: GDT: null, code 0x00CF9A000000FFFF, data 0x00CF92000000FFFF
 *   .org 0xE040: GDT descriptor: limit 0x17, base 0x000FE028
 *   .org 0xFFF0: jmp 0xE000                      ; reset vector, E9 0D E0
 *   everything else: hlt (F4)
 * </pre>
 */
final class ProbeFirmware {
    static final int SIZE = 64 * 1024;
    /** QEMU's exit status when the guest wrote 1 to isa-debug-exit. */
    static final int SUCCESS_EXIT_CODE = 3;

    private static final int CODE_OFFSET = 0xE000;
    private static final int RESET_VECTOR_OFFSET = 0xFFF0;
    private static final byte HLT = (byte) 0xF4;

    private static final int[] CODE = {
        0xFA,                                     // cli
        0x2E, 0x66, 0x0F, 0x01, 0x16, 0x40, 0xE0, // lgdtl %cs:0xE040
        0x0F, 0x20, 0xC0,                         // mov %cr0,%eax
        0x0C, 0x01,                               // or $1,%al
        0x0F, 0x22, 0xC0,                         // mov %eax,%cr0
        0x66, 0xEA, 0x18, 0xE0, 0x0F, 0x00, 0x08, 0x00, // ljmpl $0x08,$0x000FE018
        0x66, 0xB8, 0x10, 0x00,                   // mov $0x10,%ax      (0xE018, 32-bit code from here)
        0x8E, 0xD8,                               // mov %ax,%ds
        0xB0, 0x01,                               // mov $1,%al
        0xE6, 0xF4,                               // out %al,$0xf4
        0xF4,                                     // hlt
        0xEB, 0xFD,                               // jmp hlt
        0xF4, 0xF4, 0xF4,                         // padding to 0xE028
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // GDT[0] null
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xCF, 0x00, // GDT[1] code: base 0, limit 4G, 32-bit
        0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0xCF, 0x00, // GDT[2] data: base 0, limit 4G
        0x17, 0x00, 0x28, 0xE0, 0x0F, 0x00,       // GDT descriptor (0xE040): limit 0x17, base 0x000FE028
    };

    private static final int[] RESET_VECTOR = {
        0xE9, 0x0D, 0xE0,                         // jmp 0xE000 (near, relative to 0xFFF3)
    };

    private ProbeFirmware() {
    }

    static byte[] image() {
        byte[] image = new byte[SIZE];
        Arrays.fill(image, HLT);
        copy(CODE, image, CODE_OFFSET);
        copy(RESET_VECTOR, image, RESET_VECTOR_OFFSET);
        return image;
    }

    private static void copy(int[] bytes, byte[] image, int offset) {
        for (int i = 0; i < bytes.length; i++) {
            image[offset + i] = (byte) bytes[i];
        }
    }
}
