"""The one error of PeerLearn's services: a request that cannot be carried out.

Services raise :class:`ServiceError` (or a subclass) with a message in plain words, optionally
naming the input ``field`` it is about. The API turns it into a 400 answer
(:func:`api_exception_handler`, set in ``REST_FRAMEWORK``); pages turn it into a form error or
a message with :class:`service_errors`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ServiceError(Exception):
    """A request a service cannot carry out; ``message`` says why in plain words."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a :class:`ServiceError` answers 400 with its message."""
    if isinstance(exc, ServiceError):
        data: dict[str, Any] = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)


class service_errors:
    """Turns a :class:`ServiceError` raised in the block into a form error or a page message.

    With a form, the message goes to the field the error names (when the form has it) or to the
    whole form; with a request, it becomes an error message; with no target, the page shows the
    error its own way (it is kept in ``error``). The rest of the block is skipped::

        with service_errors(form):
            services.add_cohort(...)
            return redirect(...)
        return render(..., status=400)
    """

    def __init__(
        self, target: forms.BaseForm | HttpRequest | None = None, *, suffix: str = ""
    ) -> None:
        self.target = target
        self.suffix = suffix
        self.error: ServiceError | None = None

    def __enter__(self) -> service_errors:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(exc, ServiceError):
            return False
        self.error = exc
        message = f"{exc.message} {self.suffix}".strip()
        if isinstance(self.target, forms.BaseForm):
            field = exc.field if exc.field in self.target.fields else None
            self.target.add_error(field, message)
        elif self.target is not None:
            messages.error(self.target, message)
        return True
