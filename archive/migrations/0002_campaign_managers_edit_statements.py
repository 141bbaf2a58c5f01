from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of archive/staff_groups.py as this migration granted it: a migration must do
# the same on every database, whatever the live list says later.
ARCHIVE_PERMISSIONS = {
    "Campaign managers": [
        "view_statement",
        "add_statement",
        "change_statement",
        "view_topic",
        "add_topic",
        "change_topic",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("archive")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ARCHIVE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="archive", codename__in=codenames
        )
        assert permissions.count() == len(codenames), codenames
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ARCHIVE_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="archive", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("petitions", "0005_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
