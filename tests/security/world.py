"""The people and objects the permission matrix tries every URL with.

Two enterprises in two provinces (A: 广东, B: 江苏), each with what an enterprise owns — the
profile and its versions, real-name and phone-change requests with private uploads, B's digital
assessments (one submitted, one draft), B's message, B's filings (创新型中小企业 submitted with its
其他材料 zip, 专精特新中小企业 a draft holding a file answer: its form draft is "B's draft" of the
engine's URLs) in 江苏's open 申报时间, B's recognition and a 公示 of 江苏, B's 重大变更 (one 待审核,
one draft) — plus the staff roles, among them a 省级管理员 of 广东 and the 审核人员 with a review scope:
张家港 (B's county), 昆山 (another county of 苏州), 苏州, 江苏 and the ministry. Object URLs are built from B's objects, so enterprise A and the
reviewer of 广东 are always "another owner" or "another region".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

ROLES = (
    "anonymous",
    "unverified",
    "natural",
    "enterprise_a",
    "enterprise_b",
    "editor",
    "policy",
    "reviewer",
    "provincial",
    # 审核人员 with a review scope (issue 12): B is registered in 张家港 (苏州, 江苏); 昆山 is another
    # county of the same city
    "reviewer_county",
    "reviewer_other_county",
    "reviewer_city",
    "reviewer_province",
    "reviewer_ministry",
    "superuser",
)

# Reviewers whose scope covers B's 注册地: they see B's filings, changes and recognitions by name
# and USCC (never the legal representative's full ID or the phone B signs in with).
B_REVIEWERS = ("reviewer_county", "reviewer_city", "reviewer_province", "reviewer_ministry")

# What only B and a superuser may ever read (in any response body, on any URL).
B_NAME = "江苏乙精密机械有限公司"
B_LEGAL_REP_ID = "320582198506150026"
B_CONTACT_PHONE = "13955550002"
B_PHONE = "13966660002"


def _png(name: str = "licence.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%matrix\n", content_type="application/pdf")


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _regions():
    from portal.reference.models import Industry, Region

    def add(code, name, level, parent=None):
        return Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )[0]

    gd = add("440000", "广东省", "province")
    ns = add("440305", "南山区", "county", add("440300", "深圳市", "prefecture", gd))
    js = add("320000", "江苏省", "province")
    sz = add("320500", "苏州市", "prefecture", js)
    zjg = add("320582", "张家港市", "county", sz)
    ks = add("320583", "昆山市", "county", sz)
    section = Industry.objects.get_or_create(
        code="C", defaults={"name": "制造业", "level": "section", "questionnaire_category": "manufacturing"}
    )[0]
    industry = Industry.objects.get_or_create(
        code="34",
        defaults={
            "name": "通用设备制造业",
            "level": "division",
            "parent": section,
            "questionnaire_category": "manufacturing",
        },
    )[0]
    return {"gd": gd, "ns": ns, "js": js, "sz": sz, "zjg": zjg, "ks": ks, "industry": industry}


def _uscc(region: str, serial: str) -> str:
    from portal.core.identity import uscc_check_character

    first17 = f"91{region}{serial}"
    return first17 + uscc_check_character(first17)


def build_world(django_user_model) -> World:
    from forms_engine.models import FormDefinition
    from forms_engine.services import import_definition_document
    from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification
    from portal.enterprises.services import register_verified_enterprise, update_enterprise_profile
    from portal.review.models import ReviewerScope
    from tests.forms_engine.conftest import load_document

    world = World()
    regions = _regions()
    password = "Matrix-Pass-2026"

    def user(name, **extra):
        return django_user_model.objects.create_user(username=name, password=password, **extra)

    world.users["unverified"] = user("m_unverified")
    Account.objects.create(user=world.users["unverified"], phone="13966660010")
    world.users["natural"] = user("m_natural")
    Account.objects.create(
        user=world.users["natural"],
        phone="13966660011",
        user_type="natural",
        verification_status="verified",
        real_name="自然人",
        id_number="11010519491231002X",
    )
    for role, region, phone, name, rep_id in (
        ("enterprise_a", regions["ns"], "13966660001", "广东甲智能装备有限公司", "440305198001010013"),
        ("enterprise_b", regions["zjg"], B_PHONE, B_NAME, B_LEGAL_REP_ID),
    ):
        owner = user(f"m_{role}")
        uscc = _uscc(region.code, "MA0MATRX" + role[-1].upper())
        Account.objects.create(
            user=owner,
            phone=phone,
            user_type="legal",
            verification_status="verified",
            real_name="法定代表人",
            uscc=uscc,
        )
        enterprise = register_verified_enterprise(
            user=owner,
            name=name,
            uscc=uscc,
            legal_representative="法定代表人",
            legal_representative_id=rep_id,
        )
        # a complete profile: the forms' start guard asks for one (F-31)
        update_enterprise_profile(
            enterprise=enterprise,
            user=owner,
            data={
                "region": region,
                "industry": regions["industry"],
                "employees": 50,
                "contact_phone": B_CONTACT_PHONE if role == "enterprise_b" else "13955550001",
                "established_on": dt.date(2015, 6, 1),
                "registered_capital": Decimal("800"),
                "size_class": "small",
                "contact_name": "联系人",
                "contact_email": f"{role}@example.cn",
                "address": "通讯地址",
                "main_products": "主要产品",
            },
        )
        world.users[role] = owner
        world.objects[f"{role}_enterprise"] = enterprise
    b = world.users["enterprise_b"]
    world.objects["b_verification"] = RealNameVerification.objects.create(
        user=b,
        user_type="legal",
        method="manual",
        enterprise_name=B_NAME,
        uscc=world.enterprise_b_enterprise.uscc,
        name="法定代表人",
        id_number=B_LEGAL_REP_ID,
        licence=_png(),
        evidence=_pdf(),
        province_code="320000",
    )
    world.objects["b_phone_change"] = PhoneChangeRequest.objects.create(
        user=b,
        method="manual",
        old_phone=B_PHONE,
        new_phone="13966669999",
        name="法定代表人",
        id_number=world.enterprise_b_enterprise.uscc,
        evidence=_pdf(),
        province_code="320000",
    )
    world.objects["b_email_change"] = PhoneChangeRequest.objects.create(
        user=b, method="email", old_phone=B_PHONE, new_phone="13966668888", province_code="320000"
    )
    world.objects["b_version"] = world.enterprise_b_enterprise.versions.order_by("-number").first()
    world.objects["b_archive"] = _evidence_archive(world.enterprise_b_enterprise, b)
    # B's message (我的消息): its title names B, so a page showing it to anyone else fails the leak check
    from portal.inbox.services import notify

    world.objects["b_message"] = notify(
        enterprise=world.enterprise_b_enterprise,
        category="filing",
        title=f"{B_NAME}的申报已被退回",
        body="请按审核意见修改后重新提交。",
        link="/enterprise/filings/",
    )

    import_definition_document(document=load_document("innovation_self_test"))
    world.objects["definition"] = definition = FormDefinition.objects.get(key="innovation_self_test")
    world.objects["version"] = definition.versions.order_by("-number").first()
    # a self-service form (none of the shipped ones is): the engine's own start URL and its guard
    from tests.factories.forms import FormDefinitionFactory, FormVersionFactory

    world.objects["self_service"] = FormVersionFactory(
        definition=FormDefinitionFactory(key="matrix_self_service", self_service=True)
    ).definition
    # B's digital assessments (portal.assessments): one submitted, then an open draft
    from portal.assessments.services import start_assessment
    from tests.assessments.conftest import take

    import_definition_document(document=load_document("digital_manufacturing"))
    b_enterprise = type(world.enterprise_b_enterprise).objects.get(pk=world.enterprise_b_enterprise.pk)
    world.objects["b_assessment"] = take(b_enterprise)
    world.objects["b_assessment_draft"] = start_assessment(enterprise=b_enterprise, user=b)
    _filings(world, regions, b_enterprise)

    editor = user("m_editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="编辑"))
    world.users["editor"] = editor
    policy = user("m_policy", is_staff=True)
    policy.groups.add(Group.objects.get(name="政策人员"))
    world.users["policy"] = policy
    reviewer = user("m_reviewer", is_staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "access_admin",
                "view_realnameverification",
                "change_realnameverification",
                "view_phonechangerequest",
                "change_phonechangerequest",
                "view_enterprise",
                "view_enterpriseprofileversion",
                "view_legal_representative_id",
            ]
        )
    )
    # a 省级 审核人员范围 of 广东 (B is in 江苏: another region)
    world.objects["reviewer_scope"] = ReviewerScope.objects.create(
        user=reviewer, level="province", region=regions["gd"]
    )
    world.objects["reviewer_account"] = Account.objects.create(user=reviewer, phone="13966660020")
    world.objects["province"] = regions["gd"]
    world.objects["industry"] = regions["industry"]
    world.users["reviewer"] = reviewer
    provincial = user("m_provincial", is_staff=True)
    provincial.groups.add(Group.objects.get(name="省级管理员"))
    # B is in 江苏: another province
    world.objects["provincial_scope"] = ReviewerScope.objects.create(
        user=provincial, level="province", region=regions["gd"]
    )
    world.users["provincial"] = provincial
    # a county reviewer of B's 张家港市: a 审核人员范围 of 江苏, outside the 省级管理员's province
    js_reviewer = user("m_js_reviewer", is_staff=True)
    world.objects["b_scope"] = ReviewerScope.objects.create(
        user=js_reviewer, level="county", region=regions["zjg"]
    )
    world.users["superuser"] = django_user_model.objects.create_superuser(
        "m_superuser", "root@example.com", password
    )

    _wagtail_objects(world)
    _recognition_objects(world, regions)
    _lifecycle_objects(world, regions)
    _review_objects(world, regions, django_user_model, password)
    _change_objects(world, b_enterprise)
    return world


def _lifecycle_objects(world: World, regions) -> None:
    """Lifecycle (issue 13): 江苏's 复核设置 row and B's 信息更新 record of last year."""
    from portal.lifecycle.models import AnnualUpdate, RenewalRule

    world.objects["b_renewal_rule"] = RenewalRule.objects.create(
        level="innovative", province=regions["js"], opens_days=120
    )
    world.objects["b_annual_update"] = AnnualUpdate.objects.create(
        enterprise=world.enterprise_b_enterprise,
        year=2025,
        deadline=dt.date(2025, 4, 30),
        state=AnnualUpdate.State.MISSED,
        region_code=regions["zjg"].code,
    )


def _review_objects(world: World, regions, django_user_model, password: str) -> None:
    """The 审核人员 of issue 12 (group 审核人员 and a ReviewerScope each): 张家港 (B's county), 昆山
    (another county of 苏州), 苏州, 江苏 and the ministry; B's 创新型 filing follows 江苏's chain
    (市 → 省), so it waits at 苏州's level. The indicator a verified score is tried on."""
    from portal.review.models import ReviewerScope
    from portal.review.selectors import latest_score

    group = Group.objects.get(name="审核人员")
    for role, level, region in (
        ("reviewer_county", "county", regions["zjg"]),
        ("reviewer_other_county", "county", regions["ks"]),
        ("reviewer_city", "city", regions["sz"]),
        ("reviewer_province", "province", regions["js"]),
        ("reviewer_ministry", "ministry", None),
    ):
        user = django_user_model.objects.create_user(username=f"m_{role}", password=password, is_staff=True)
        user.groups.add(group)
        scope = ReviewerScope.objects.create(user=user, level=level, region=region)
        world.users[role] = django_user_model.objects.get(pk=user.pk)
        world.objects[f"{role}_scope"] = scope
    item = next(i for i in latest_score(world.b_filing)["items"] if i.get("max"))
    world.objects["b_score_item"] = item["key"]


def _change_objects(world: World, b_enterprise) -> None:
    """B's 企业重大变更 (更名): one submitted (待审核 in 江苏), one draft never submitted. Made as rows:
    B's recognition has expired, and reporting changes is for recognised enterprises."""
    from django.utils import timezone

    from forms_engine import services as engine
    from forms_engine.models import FormDefinition
    from forms_engine.services import import_definition_document
    from portal.changes.models import MajorChange
    from tests.forms_engine.conftest import load_document

    import_definition_document(document=load_document("change_rename"))
    version = engine.current_version(FormDefinition.objects.get(key="change_rename"))
    owner = b_enterprise.owner
    for name, state in (("b_change", MajorChange.State.PENDING), ("b_change_draft", MajorChange.State.DRAFT)):
        submitted = state != MajorChange.State.DRAFT
        world.objects[name] = MajorChange.objects.create(
            enterprise=b_enterprise,
            change_type="rename",
            submission=engine.start_submission(version=version, owner=owner, context={"province": "320000"}),
            state=state,
            region_code=b_enterprise.region.code,
            provinces=["320000"] if submitted else [],
            submitted_at=timezone.now() if submitted else None,
        )


def _with_file_answer(submission):
    """B's draft holds a file answer (营业执照) in the engine's private storage, as the wizard
    stores one, so the engine's download URL has something to refuse."""
    from forms_engine.models import FormSubmission
    from forms_engine.uploads import save_upload

    answer = save_upload(_pdf(), owner=str(submission.uuid), field_key="licence")
    FormSubmission.objects.filter(pk=submission.pk).update(answers={**submission.answers, "licence": answer})
    return FormSubmission.objects.get(pk=submission.pk)


def _recognition_objects(world: World, regions) -> None:
    """B's recognition (expired, so B's profile stays editable), a 公示 of B's province (江苏) and
    江苏's 各省认定设置."""
    from portal.recognition.models import ProvinceRecognitionSetting, Publicity
    from portal.recognition.services import import_recognition

    # the row as it is now (its 注册地 was set after registration): the recognition keeps the region
    enterprise = type(world.enterprise_b_enterprise).objects.get(pk=world.enterprise_b_enterprise.pk)
    world.objects["b_recognition"] = import_recognition(
        enterprise=enterprise,
        level="innovative",
        year=2020,
        valid_from=dt.date(2020, 1, 1),
    )
    world.objects["b_publicity"] = Publicity.objects.create(
        title="江苏省2026年拟认定创新型中小企业名单公示",
        level="innovative",
        province=regions["js"],
        deciding_level="province",
        region_prefix="32",
        period_days=5,
    )
    world.objects["b_province_setting"] = ProvinceRecognitionSetting.objects.create(
        province=regions["js"], publicity_days=7
    )


def _filings(world: World, regions, b_enterprise) -> None:
    """申报时间 open in both provinces; B's 创新型中小企业 filing submitted with its zip, its
    专精特新中小企业 filing a draft (B took the assessment); a 申报条件 of 江苏."""
    from portal.filings import services
    from tests.factories.filings import FilingRequirementFactory, FilingWindowFactory, answer, filing_forms

    filing_forms()
    world.objects["gd_window"] = FilingWindowFactory(province=regions["gd"], level="innovative")
    world.objects["b_window"] = FilingWindowFactory(province=regions["js"], level="innovative")
    FilingWindowFactory(province=regions["js"], level="specialized")
    world.objects["b_requirement"] = FilingRequirementFactory(province=regions["js"], level="innovative")
    from portal.filings.models import ReviewChain
    from portal.jobs.models import JobRun

    world.objects["b_chain"] = ReviewChain.objects.create(
        level="innovative",
        province=regions["js"],
        steps=[{"level": "city", "role": "review"}, {"level": "province", "role": "decide"}],
    )
    world.objects["job_run"] = JobRun.objects.create(name="purge_sms_codes", slot="2026-01-01", state="done")
    b = b_enterprise.owner
    filing = answer(services.start_filing(enterprise=b_enterprise, user=b, level="innovative"))
    world.objects["b_filing"] = services.submit_filing(filing=filing, user=b, evidence=world.b_archive)
    world.objects["b_filing_draft"] = services.start_filing(
        enterprise=b_enterprise, user=b, level="specialized"
    )
    world.objects["b_submission"] = _with_file_answer(world.b_filing_draft.submission)


def _evidence_archive(enterprise, owner):
    """B's 其他材料 zip, inspected and passed, stored in the private evidence storage."""
    import zipfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from portal.filings.models import EvidenceArchive

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("说明.txt", "B 的申报材料")
    stored = storages["evidence"].save("matrix/b.zip", ContentFile(buffer.getvalue()))
    return EvidenceArchive.objects.create(
        enterprise=enterprise,
        uploaded_by=owner,
        state="passed",
        filename="申报材料.zip",
        size=len(buffer.getvalue()),
        offset=len(buffer.getvalue()),
        stored_name=stored,
    )


def _wagtail_objects(world: World) -> None:
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection, Page, Site, Task, Workflow

    world.objects["page"] = Page.objects.filter(depth=2).first()
    world.objects["collection"] = Collection.get_first_root_node()
    world.objects["image"] = get_image_model().objects.create(title="示意图", file=_png("matrix.png"))
    world.objects["document"] = get_document_model().objects.create(title="附件", file=_pdf())
    world.objects["redirect"] = Redirect.objects.create(old_path="/old-matrix", redirect_link="/")
    world.objects["site"] = Site.objects.get(is_default_site=True)
    world.objects["workflow"] = Workflow.objects.first()
    world.objects["task"] = Task.objects.first()
    world.objects["group"] = Group.objects.get(name="编辑")

    from captcha.models import CaptchaStore

    from portal.enterprises.models import ProfileUpdateWindow

    world.objects["captcha_key"] = CaptchaStore.generate_key()
    world.objects["window"] = ProfileUpdateWindow.load()
