"""Reading the files people send (admin imports, staff batches, the command line): the
encodings spreadsheets save, and the separator French spreadsheets use."""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO, TextIO

NUL_REFUSE = (
    "Le fichier contient des caractères nuls (fichier binaire, ou UTF-16 sans marque "
    "d'ordre) : enregistrez-le au format « CSV UTF-8 »."
)


class FichierInvalide(Exception):
    """A file that cannot be read at all (encoding, not CSV, no usable columns): its
    French reason, for every door that takes files (admin imports, batch page, CLI)."""


def texte_decoder(brut: bytes) -> str:
    """The text of an uploaded CSV, whatever the spreadsheet saved it as: UTF-8 (with or
    without BOM), UTF-16 with BOM (Excel « Texte Unicode »), else Windows-1252; line ends
    \r\n or a lone \r (old Mac) become \n. NUL characters are refused (no database
    stores them as text)."""
    try:
        if brut.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            texte = brut.decode("utf-16")
        else:
            try:
                texte = brut.decode("utf-8-sig")
            except UnicodeDecodeError:
                texte = brut.decode("cp1252")
    except UnicodeDecodeError:
        raise FichierInvalide(
            "Le fichier n'est pas un texte lisible : enregistrez-le au format « CSV UTF-8 »."
        ) from None
    if "\x00" in texte:
        raise FichierInvalide(NUL_REFUSE)
    return texte.replace("\r\n", "\n").replace("\r", "\n")


def separateur_deviner(premiere_ligne: str) -> str:
    """Comma or semicolon (French spreadsheets save CSV with semicolons)."""
    return ";" if premiere_ligne.count(";") > premiere_ligne.count(",") else ","


def encodage_deviner(fichier: BinaryIO, *, bloc: int = 1 << 20) -> str:
    """The encoding ``texte_decoder`` would choose, read block by block (a file of any
    size): UTF-16 with BOM, else UTF-8 (BOM or not) if every byte decodes, else
    Windows-1252. Raises FichierInvalide as it would. Leaves the file at its start."""
    debut = fichier.read(2)
    fichier.seek(0)
    if debut in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        choix = ["utf-16"]
    else:
        choix = ["utf-8-sig", "cp1252"]
    for encodage in choix:
        decodeur = codecs.getincrementaldecoder(encodage)()
        try:
            while morceau := fichier.read(bloc):
                if "\x00" in decodeur.decode(morceau):
                    raise FichierInvalide(NUL_REFUSE)
            decodeur.decode(b"", final=True)
        except UnicodeDecodeError:
            fichier.seek(0)
            continue
        fichier.seek(0)
        return encodage
    raise FichierInvalide(
        "Le fichier n'est pas un texte lisible : enregistrez-le au format « CSV UTF-8 »."
    )


def texte_ouvrir(fichier: BinaryIO) -> TextIO:
    """The file as text, read as it goes (``texte_decoder``'s rules: encodings, line ends
    \r\n or a lone \r become \n, NUL refused), for files too large to hold."""
    return io.TextIOWrapper(fichier, encoding=encodage_deviner(fichier), newline=None)
