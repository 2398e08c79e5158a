from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "peerlearn.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from peerlearn.personal_data import PersonalData, register_eraser, register_personal_data

        from .services import erase_exports

        register_personal_data(
            # Sign-in addresses and API tokens go with the account.
            PersonalData("account.EmailAddress", owner="user", delete=True, exclude=("id",)),
            PersonalData("authtoken.Token", owner="user", delete=True, export=False),
            # The admin's log of changes names the administrator who made them: the record stays.
            PersonalData("admin.LogEntry", references=("user",), export=False),
            # An erasure request is the record of the erasure itself; its reason is erased.
            PersonalData(
                "users.ErasureRequest",
                owner="user",
                scrub={"reason": ""},
                references=("confirmed_by",),
            ),
            # Prepared downloads are deleted with their files by ``erase_exports``.
            PersonalData("users.DataExport", references=("user",), export=False),
        )
        register_eraser("users.DataExport", erase_exports)
