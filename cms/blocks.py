"""StreamField blocks of the FAQ and help pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问题"), max_length=300)
    answer = blocks.RichTextBlock(label=_("解答"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "help"
        label = _("问答")
        template = "cms/blocks/question_answer.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt_text = blocks.CharBlock(label=_("替代文本"), max_length=200, help_text=_("供读屏软件朗读的图片说明"))
    caption = blocks.CharBlock(label=_("图注"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "cms/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文档"))
    title = blocks.CharBlock(label=_("链接文字"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("文档链接")
        template = "cms/blocks/document_link.html"


class HelpBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("小标题"), max_length=120, template="cms/blocks/heading.html", form_classname="title"
    )
    paragraph = blocks.RichTextBlock(label=_("段落"))
    image = ImageBlock()
    document = DocumentLinkBlock()
