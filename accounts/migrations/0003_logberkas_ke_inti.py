"""The file log (LogBerkas) moves to the shared base app ``inti``: its table is renamed to the
new app's name and its content type follows, so permissions granted on it are kept."""

from django.db import migrations


def content_type_to_inti(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model="logberkas").update(app_label="inti")


def content_type_to_accounts(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="inti", model="logberkas").update(app_label="accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_log_berkas"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("LogBerkas", "inti_logberkas")],
            state_operations=[migrations.DeleteModel("LogBerkas")],
        ),
        migrations.RunPython(content_type_to_inti, content_type_to_accounts),
    ]
