from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_to_campaign_managers(apps, schema_editor):
    # Permissions are normally created after the whole migrate run (post_migrate); create this
    # app's now so the group can be given the new one.
    app_config = apps.get_app_config("petitions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="petitions", codename="view_staff_activity"
    )
    group, _ = Group.objects.get_or_create(name="Campaign managers")
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="petitions", codename="view_staff_activity"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("petitions", "0017_signature_already_signed_mail"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="exportrecord",
            options={
                "default_permissions": ["view"],
                "ordering": ["-started_at"],
                "permissions": [("view_staff_activity", "Can view the staff activity")],
                "verbose_name": "export record",
                "verbose_name_plural": "export records",
            },
        ),
        migrations.RunPython(grant_to_campaign_managers, revoke),
    ]
