"""Run a management command as a shell would: its exit status, standard output and error."""

from io import StringIO

from django.core.management import CommandError, call_command


def run_command(name: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        status = 0
    except CommandError as exc:
        status = exc.returncode
        err.write(str(exc))
    return status, out.getvalue(), err.getvalue()
