import io
import unittest
from contextlib import redirect_stdout

from safe_synthesizer import cli


class CliTest(unittest.TestCase):
    def test_exit_code_is_the_one_asked_for(self):
        with redirect_stdout(io.StringIO()):
            self.assertEqual(3, cli.main(["a b", "--exit=3"]))

    def test_report_keeps_arguments(self):
        self.assertEqual(["", "x y"], cli.report(["", "x y"])["argv"])


if __name__ == "__main__":
    unittest.main()
