from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of petitions/staff_groups.py as this migration made the groups: a migration
# must do the same on every database, whatever the live list says later. A change to the live
# list needs a new migration (tests/campaign/test_staff_groups_migrated.py fails until it has one).
PETITIONS_PERMISSIONS = {
    "Moderators": [
        "view_petition",
        "view_signature",
        "change_signature",
        "view_endorsement",
        "change_endorsement",
        "view_organisation",
    ],
    "Campaign managers": [
        "view_petition",
        "add_petition",
        "change_petition",
        "view_signature",
        "export_signatures",
        "view_endorsement",
        "export_endorsements",
        "view_organisation",
        "add_organisation",
        "change_organisation",
        "view_exportrecord",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after the whole migrate run (post_migrate); a fresh
    # database has none yet, so create this app's now.
    app_config = apps.get_app_config("petitions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PETITIONS_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="petitions", codename__in=codenames
        )
        assert permissions.count() == len(codenames), codenames
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PETITIONS_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("petitions", "0004_staff_moderation_and_export"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
