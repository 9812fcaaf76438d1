/**
 * The guest image: which kernel to boot and the initramfs it boots with.
 *
 * <p>Public API, in the order a boot uses it:
 * <ol>
 *   <li>{@link dev.provium.image.KernelLocator#locate(java.util.Optional)} → {@link dev.provium.image.Kernel}:
 *       the profile's kernel, else {@code PROVIUM_KERNEL}, else the newest installed kernel with modules;</li>
 *   <li>{@link dev.provium.image.BootKernel#prepare(Kernel, java.nio.file.Path, dev.provium.Notices)} → the file for QEMU's
 *       {@code -kernel}: the cached uncompressed PVH {@code vmlinux} when possible, else the bzImage;</li>
 *   <li>{@link dev.provium.image.GuestImageBuilder#build(GuestImageSpec, java.nio.file.Path)} → the file for
 *       {@code -initrd}: user initrd + cached base overlay (agent, busybox, modules) + injected files;</li>
 *   <li>{@link dev.provium.image.ModuleResolver#resolve(java.nio.file.Path, java.util.List)} is used by the
 *       builder and available on its own.</li>
 * </ol>
 * Every failure is a {@link dev.provium.image.GuestImageException} whose message names the bad input;
 * {@link dev.provium.image.KernelNotFoundException} marks the missing-prerequisite case.
 */
package dev.provium.image;
