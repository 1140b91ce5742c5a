"""The small set of StreamField blocks editors compose pages from (the public site's pages and the challenge pages).
Each renders its own template, under `cms/blocks/`."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class LinkValue(blocks.StructValue):
    @property
    def href(self) -> str:
        page = self.get("page")
        return page.url if page else (self.get("url") or "")


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page on this site or to any URL."""

    label = blocks.CharBlock(max_length=120)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    class Meta:
        icon = "link"
        value_class = LinkValue
        template = "cms/blocks/link.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError("Choose a page or enter a URL.")}
            )
        return value


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="Describe the image for people who cannot see it; leave empty if decorative.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    """Inset text: something the reader must not miss."""

    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200, help_text="Defaults to the document's own title.")

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(max_length=120, icon="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(
        features=["h3", "h4", "bold", "italic", "link", "document-link", "ul", "ol"],
        template="cms/blocks/paragraph.html",
    )
    image = ImageBlock()
    callout = CalloutBlock()
    document = DocumentBlock()
    embed = EmbedBlock(help_text="A YouTube or Vimeo address.", template="cms/blocks/embed.html")
    button = LinkBlock(template="cms/blocks/button.html")
