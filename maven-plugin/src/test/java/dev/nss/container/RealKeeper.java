package dev.nss.container;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A fake CLI seen through a run's keeper. The keeper is started through the same process seam as
 * every CLI command, with the real {@code create} as its arguments; a fake must not run it as a CLI
 * command. Here the keeper runs for real, so that its protocol, its session and its removal of the
 * container stay under test, and only the {@code create} it runs is the fake's.
 */
public final class RealKeeper {

  private RealKeeper() {}

  /**
   * {@code cli} for every argv but a keeper's; for a keeper's, {@code cli} gets the create (and
   * records it, as it would without a keeper), and the builder it returns runs the keeper around
   * the fake create's command.
   */
  public static Function<List<String>, ProcessBuilder> around(
      Function<List<String>, ProcessBuilder> cli) {
    return argv -> {
      int main = argv.indexOf(RunKeeper.class.getName());
      if (main < 0) {
        return cli.apply(argv);
      }
      // RunKeeper.command: ... RunKeeper CLI CREATE_ARGV...
      ProcessBuilder create = cli.apply(argv.subList(main + 2, argv.size()));
      List<String> keeper = new ArrayList<>(argv.subList(0, main + 2));
      keeper.addAll(create.command());
      return create.command(keeper);
    };
  }
}
