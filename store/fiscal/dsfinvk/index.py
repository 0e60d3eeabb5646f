"""index.xml: the GDPdU description of every file, which the auditor's software reads first."""

from xml.sax.saxutils import escape

from store.fiscal.dsfinvk.tables import TABLES
from store.fiscal.dsfinvk.values import DTD
from store.fiscal.registration import StoreIdentity


def index_xml(shop: StoreIdentity, comment: str) -> str:
    """The GDPdU description of every file (what the auditor's software reads first)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<!DOCTYPE DataSet SYSTEM "{DTD}">',
        "<DataSet>",
        "  <Version>1.0</Version>",
        "  <DataSupplier>",
        f"    <Name>{escape(shop.name)}</Name>",
        f"    <Location>{escape(shop.address)}</Location>",
        f"    <Comment>{escape(comment)}</Comment>",
        "  </DataSupplier>",
        "  <Media>",
        "    <Name>DSFinV-K</Name>",
    ]
    for table in TABLES:
        out += [
            "    <Table>",
            f"      <URL>{table.url}</URL>",
            f"      <Name>{table.name}</Name>",
            f"      <Description>{table.url}</Description>",
            "      <UTF8 />",
            "      <DecimalSymbol>,</DecimalSymbol>",
            "      <DigitGroupingSymbol>.</DigitGroupingSymbol>",
            "      <Range>",
            "        <From>2</From>",
            "      </Range>",
            "      <VariableLength>",
            "        <ColumnDelimiter>;</ColumnDelimiter>",
            "        <RecordDelimiter>&#xD;&#xA;</RecordDelimiter>",
            '        <TextEncapsulator>"</TextEncapsulator>',
        ]
        for column in table.columns:
            out += [
                "        <VariableColumn>",
                f"          <Name>{column.name}</Name>",
                f"          <Description>{escape(column.description)}</Description>",
            ]
            if not column.numeric:
                out += ["          <AlphaNumeric />", f"          <MaxLength>{column.size}</MaxLength>"]
            elif column.size:
                out += [
                    "          <Numeric>",
                    f"            <Accuracy>{column.size}</Accuracy>",
                    "          </Numeric>",
                ]
            else:
                out.append("          <Numeric />")
            out.append("        </VariableColumn>")
        out += ["      </VariableLength>", "    </Table>"]
    out += ["  </Media>", "</DataSet>", ""]
    return "\r\n".join(out)
