package dev.nss.doctor;

import dev.nss.testdata.TokenFileTable;
import java.nio.file.Path;

/** The doctor's token-file rule against the table it shares with the agent. */
class TokenFileCasesTest extends TokenFileTable {
  @Override
  protected boolean hasToken(Path file) {
    return HfTokenCheck.hasToken(file);
  }

  @Override
  protected int readLimit() {
    return HfTokenCheck.READ_LIMIT;
  }
}
