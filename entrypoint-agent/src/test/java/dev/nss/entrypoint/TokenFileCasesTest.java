package dev.nss.entrypoint;

import dev.nss.testdata.TokenFileTable;
import java.io.IOException;
import java.nio.file.Path;

/** The agent's token-file rule against the table it shares with the doctor. */
class TokenFileCasesTest extends TokenFileTable {
  @Override
  protected boolean hasToken(Path file) throws IOException {
    return HfTokenCheck.hasNonBlankContent(file);
  }

  @Override
  protected int readLimit() {
    return HfTokenCheck.TOKEN_READ_LIMIT;
  }
}
