"""A papermill engine that executes notebooks with ``ipywidgets`` without losing kernel replies.

Why it exists
-------------
Headless execution has no browser to draw widgets, so nbclient stands in for one: it mimics the
``Output`` widget that :func:`ipywidgets.interact` writes into, and after every output it captures it
*sends the widget's new state back to the kernel on the shell channel*. It sends from the task that
reads IOPub, while another task is waiting on that same shell socket for the cell's
``execute_reply``. A ZeroMQ socket signals new messages through an edge-triggered file descriptor;
when the reply arrives just before that send, the send consumes the signal and the waiting task is
never woken. Nothing is lost, but nbclient only finds the reply when the cell's timeout expires —
up to 30 minutes of a kernel sitting idle (the course saw it now and then in ``interact`` cells that
draw cortex figures, whose large outputs keep the client busy at exactly that moment).

:class:`HeadlessOutputWidget` keeps everything the mimic does for the executed notebook (outputs
routed into the widget, the widget state saved in the notebook's metadata) but does not echo the
state back to the kernel — no frontend will ever read it there — so nothing is sent on the shell
socket while a reply is awaited. :class:`HeadlessWidgetEngine` is papermill's own nbclient engine
with that widget; :func:`neuroframes_edu.course.notebooks.execute_notebooks` (``neuroframes-edu
run-notebooks``) uses it. From Python, after :func:`register`::

    papermill.execute_notebook("in.ipynb", "out.ipynb", engine_name="neuroframes-edu")

(It is not offered as a ``papermill.engine`` entry point: papermill imports every entry point while
it is itself being imported, and this module subclasses papermill's engine, so the two imports would
chase each other.)
"""

from __future__ import annotations

from nbclient.output_widget import OutputWidget
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "neuroframes-edu"

__all__ = ["ENGINE_NAME", "HeadlessOutputWidget", "HeadlessWidgetClient", "HeadlessWidgetEngine", "register"]


class HeadlessOutputWidget(OutputWidget):
    """nbclient's ``Output`` widget mimic without the state echo to the kernel.

    Outputs are still collected into the widget (and into the notebook's saved widget state);
    only :meth:`sync_state`, which would send a ``comm_msg`` on the shell channel while the client
    waits there for the cell's reply, does nothing.
    """

    def sync_state(self) -> None:
        """Keep the state on the client side only (see the module docstring for why)."""


class HeadlessWidgetClient(PapermillNotebookClient):
    """papermill's notebook client with :class:`HeadlessOutputWidget` as its ``Output`` widget."""

    def __init__(self, nb_man, km=None, raise_on_iopub_timeout=True, **kw):
        super().__init__(nb_man, km=km, raise_on_iopub_timeout=raise_on_iopub_timeout, **kw)
        self.widget_registry = {"@jupyter-widgets/output": {"OutputModel": HeadlessOutputWidget}}


class HeadlessWidgetEngine(NBClientEngine):
    """papermill's ``nbclient`` engine, executing with :class:`HeadlessWidgetClient`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        """Execute ``nb_man.nb`` in a fresh kernel; arguments as for papermill's ``NBClientEngine``."""
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        return HeadlessWidgetClient(nb_man, **final_kwargs).execute()


def register() -> str:
    """Register :class:`HeadlessWidgetEngine` with papermill (idempotent); returns its name."""
    papermill_engines.register(ENGINE_NAME, HeadlessWidgetEngine)
    return ENGINE_NAME
