package dev.nss.entrypoint;

import dev.nss.testdata.TokenFileTable;
import java.io.IOException;
import java.nio.file.Path;

/** The agent's token-file rule against the table it shares with the doctor. */
class TokenFileCasesTest extends TokenFileTable {
  @Override
  protected boolean hasToken(Path file) throws IOException {
    return Preflight.hasNonBlankContent(file);
  }

  @Override
  protected int readLimit() {
    return Preflight.TOKEN_READ_LIMIT;
  }
}
