"""Chinese names for what Wagtail's migrations create in English and the admin shows as data.

- The group "Moderators" becomes 内容审核员, its workflow and task "Moderators approval" become
  内容审核 / 内容审核员审批 (the page editor's button read “提交给Moderators approval”).
- The group "Editors" is Wagtail's default editor group; the portal's editors use 编辑 (0002). It is
  deleted while nobody belongs to it, otherwise renamed 网站编辑（Wagtail 默认）.
- The tree root page and the root collection, both "Root", become 根目录 (“Exploring: Root”).

Only rows still carrying Wagtail's English defaults are touched: names staff gave are kept.
"""

from django.db import migrations

RENAMES = {
    ("auth", "Group", "name"): {"Moderators": "内容审核员"},
    ("wagtailcore", "Workflow", "name"): {"Moderators approval": "内容审核"},
    ("wagtailcore", "Task", "name"): {"Moderators approval": "内容审核员审批"},
    ("wagtailcore", "Collection", "name"): {"Root": "根目录"},
}


def to_chinese(apps, schema_editor):
    for (app_label, model_name, field), names in RENAMES.items():
        model = apps.get_model(app_label, model_name)
        for english, chinese in names.items():
            model.objects.filter(**{field: english}).update(**{field: chinese})
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="根目录", draft_title="根目录")
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        if editors.user_set.exists():
            editors.name = "网站编辑（Wagtail 默认）"
            editors.save(update_fields=["name"])
        else:
            editors.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_editor_group"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(to_chinese, migrations.RunPython.noop)]
