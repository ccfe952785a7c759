"""Admin helpers shared by the portal's wagtail-modeladmin registers."""

from wagtail_modeladmin.helpers import PermissionHelper


class ReadOnlyPermissionHelper(PermissionHelper):
    """List and inspect with the model's view permission; no create, edit or delete in the admin
    (the data comes from fixtures, or every write goes through the app's services)."""

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False
