package dev.nss.doctor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;

/**
 * A static Linux executable of a few bytes that exits with status 0, for the doctor's probe build:
 * {@code FROM scratch} has no shell or {@code true}, and the probe must run {@code RUN} steps
 * without pulling a base image. One ELF64 header, one loadable segment, then {@code exit(0)} as
 * machine code for x86-64 or AArch64.
 */
final class ExitZeroProgram {

  private static final long BASE = 0x400000L;
  private static final int HEADER = 64;
  private static final int PROGRAM_HEADER = 56;

  private ExitZeroProgram() {}

  /**
   * The program for an engine architecture as {@code docker info} ({@code x86_64}, {@code aarch64})
   * or {@code podman info} ({@code amd64}, {@code arm64}) names it; empty for any other.
   */
  static Optional<byte[]> forArchitecture(String architecture) {
    return switch (architecture.toLowerCase(Locale.ROOT)) {
      case "x86_64", "amd64" ->
          Optional.of(
              elf(
                  0x3e,
                  new byte[] {
                    0x31,
                    (byte) 0xff, // xor edi, edi
                    (byte) 0xb8,
                    0x3c,
                    0x00,
                    0x00,
                    0x00, // mov eax, 60 (exit)
                    0x0f,
                    0x05 // syscall
                  }));
      case "aarch64", "arm64" ->
          Optional.of(
              elf(
                  0xb7,
                  words(
                      0xd2800000, // mov x0, #0
                      0xd2800ba8, // mov x8, #93 (exit)
                      0xd4000001))); // svc #0
      default -> Optional.empty();
    };
  }

  private static byte[] words(int... instructions) {
    ByteBuffer b = ByteBuffer.allocate(instructions.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i : instructions) {
      b.putInt(i);
    }
    return b.array();
  }

  private static byte[] elf(int machine, byte[] code) {
    int size = HEADER + PROGRAM_HEADER + code.length;
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(
        new byte[] {
          0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0
        }); // ELF64, little-endian, SysV
    b.putShort((short) 2); // ET_EXEC
    b.putShort((short) machine);
    b.putInt(1); // EV_CURRENT
    b.putLong(BASE + HEADER + PROGRAM_HEADER); // entry: the code after the headers
    b.putLong(HEADER); // program headers right after this header
    b.putLong(0); // no section headers
    b.putInt(0); // flags
    b.putShort((short) HEADER);
    b.putShort((short) PROGRAM_HEADER);
    b.putShort((short) 1); // one program header
    b.putShort((short) 0);
    b.putShort((short) 0);
    b.putShort((short) 0);
    b.putInt(1); // PT_LOAD
    b.putInt(5); // readable, executable
    b.putLong(0); // the whole file ...
    b.putLong(BASE); // ... mapped at BASE
    b.putLong(BASE);
    b.putLong(size);
    b.putLong(size);
    b.putLong(0x1000);
    b.put(code);
    return b.array();
  }
}
