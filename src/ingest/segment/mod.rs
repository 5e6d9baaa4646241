//! Segment: clean lines → passages that know their chapter, section, kind and source position.
//!
//! The hard part is that PDF extractions lose layout. Blank lines are not paragraph breaks (some
//! extractions put one after every line), so a paragraph ends where the evidence says it does:
//! a line that ends a sentence and stops short of the text width, a heading, a caption, a
//! footnote rule. Documents whose paragraphs are already single lines (markdown conversions,
//! JSON Lines articles) are told apart from hard-wrapped ones by the shape of their line lengths.
//!
//! The work is split by the question each part answers, so that each can be changed (and
//! tested) without reading the others:
//!
//! - `layout`: what the lines look like — wrapped at a width or one paragraph per line, which
//!   lines are table cells — and the one-line tests (ends a sentence, title case) the rest uses.
//! - `headings`: what a line opens (chapter, numbered section, named part, caption, other
//!   heading), and the pure transition from one place (chapter, section, part) to the next.
//!   The `BAB II — TITLE` chapter label is built there, once.
//! - `court`: a court decision's own parts (header, identity, case, considerations, verdict,
//!   closing), which replace the heading rules of academic text in a decision.
//! - `footnotes`: notes read below a footnote rule become footnote passages; their markers (a
//!   lone number on its own line) stay on the body block, so citations can later be linked
//!   through them.
//! - `walker`: the one stateful pass that joins lines into blocks (paragraphs, headings,
//!   tables, bibliography entries), carrying the place from heading to heading.
//! - `passages`: blocks cut to at most [`TARGET_CHARS`] and mapped back to source lines and
//!   bytes.

mod column;
mod court;
mod footnotes;
mod headings;
mod layout;
mod passages;
mod walker;

use super::normalize::Line;
use crate::model::Passage;

/// Passages longer than this are cut at sentence boundaries.
pub const TARGET_CHARS: usize = 1500;

/// Cut a document's clean lines into passages (language still unset).
pub fn segment(doc_id: &str, title_hint: Option<&str>, lines: &[Line]) -> Vec<Passage> {
    let blocks = walker::Walker::new(lines).walk();
    passages::build_passages(doc_id, title_hint, lines, blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalize::clean_lines;
    use crate::model::Kind;

    /// The texts of the heading passages, in order.
    fn heading_texts(ps: &[Passage]) -> Vec<&str> {
        ps.iter()
            .filter(|p| p.kind == Kind::Heading)
            .map(|p| p.text.as_str())
            .collect()
    }

    /// `(chapter, section, section title)` of the passage that starts with `start`.
    fn place_of(text: &str, start: &str) -> (Option<String>, Option<String>, Option<String>) {
        let ps = segment("d", None, &clean_lines(text));
        let p = ps
            .iter()
            .find(|p| p.text.starts_with(start))
            .unwrap_or_else(|| panic!("no passage starts with {start:?}: {ps:#?}"));
        (
            p.chapter.clone(),
            p.section.clone(),
            p.section_title.clone(),
        )
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    const THESIS: &str = "BAB II
KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO

2.1 Latar Belakang Kebijakan

Meksiko mengumumkan kebijakan luar negeri feminis pada tahun 2020 sebagai yang pertama di Amerika Latin.

2.1.1 Peran Kementerian Luar Negeri

Kementerian Luar Negeri memimpin pelaksanaan kebijakan tersebut bersama lembaga lain.

BAB III
PENUTUP

Kebijakan ini menunjukkan arah baru diplomasi Meksiko.
";

    #[test]
    fn bab_title_on_the_next_line_names_the_chapter() {
        assert_eq!(
            place_of(THESIS, "Meksiko mengumumkan"),
            (
                some("BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO"),
                some("2.1"),
                some("Latar Belakang Kebijakan")
            )
        );
        assert_eq!(
            place_of(THESIS, "Kementerian Luar Negeri memimpin"),
            (
                some("BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO"),
                some("2.1.1"),
                some("Peran Kementerian Luar Negeri")
            )
        );
    }

    /// Markdown headings are headings, whatever their words, and their `#`s are not text.
    #[test]
    fn markdown_headings_title_their_paragraphs() {
        let notes = "# Catatan penelitian

Wawancara dilakukan di Tapachula pada bulan Maret dengan tiga informan.

## Temuan awal

Para informan menyebut jalur kereta sebagai rute utama migrasi.
";
        let ps = segment("d", None, &clean_lines(notes));
        let heading = ps.iter().find(|p| p.text.contains("Catatan")).unwrap();
        assert_eq!(heading.kind, Kind::Heading, "{ps:#?}");
        assert_eq!(heading.text, "Catatan penelitian");
        assert_eq!(
            place_of(notes, "Wawancara"),
            (None, None, some("Catatan penelitian"))
        );
        assert_eq!(
            place_of(notes, "Para informan"),
            (None, None, some("Temuan awal"))
        );
        assert!(ps.iter().all(|p| !p.text.contains('#')), "{ps:#?}");
    }

    /// A decision's part is the chapter of its passages; its charges and the elements the court
    /// weighs title the passages beneath them, until the recital (charges) or the summing up
    /// (elements) ends them. Lines of corpus-large's `idcourt-campuran-137eba16ff`, shortened
    /// (cleaning makes its curly quotes straight).
    #[test]
    fn a_decisions_charges_and_elements_title_their_passages() {
        let decision = "PUTUSAN
Nomor 14/Pid.Sus/2025/PN Kgn
DEMI KEADILAN BERDASARKAN KETUHANAN YANG MAHA ESA
Pengadilan Negeri Kotabaru yang mengadili perkara pidana menjatuhkan putusan:
Nama lengkap : ABDUSSALAM Bin BAHRUN;
Menimbang, bahwa Terdakwa diajukan ke persidangan oleh Penuntut Umum didakwa berdasarkan surat dakwaan sebagai berikut:
KESATU
Bahwa Terdakwa ABDUSSALAM Bin BAHRUN pada hari Kamis menguasai Narkotika Golongan I.
ATAU
KEDUA
Bahwa Terdakwa ABDUSSALAM Bin BAHRUN pada hari yang sama memiliki Narkotika Golongan I.
Menimbang, bahwa terhadap dakwaan tersebut Terdakwa tidak mengajukan keberatan;
Menimbang, bahwa selanjutnya Majelis Hakim akan mempertimbangkan unsur-unsurnya:
Ad.1. Unsur “Setiap Orang”
Menimbang, bahwa unsur “setiap orang“ sama dengan unsur barang siapa;
Menimbang, bahwa oleh karena semua unsur dari Pasal 114 telah terpenuhi, Terdakwa bersalah;
MENGADILI:
1. Menyatakan Terdakwa terbukti bersalah;
";
        let at = |start| place_of(decision, start);
        let case = some("Duduk Perkara");
        let considerations = some("Pertimbangan Hukum");
        assert_eq!(
            at("Bahwa Terdakwa ABDUSSALAM Bin BAHRUN pada hari Kamis"),
            (case.clone(), None, some("KESATU"))
        );
        assert_eq!(
            at("Bahwa Terdakwa ABDUSSALAM Bin BAHRUN pada hari yang sama"),
            (case.clone(), None, some("KEDUA"))
        );
        assert_eq!(at("Menimbang, bahwa terhadap dakwaan"), (case, None, None));
        assert_eq!(
            at("Menimbang, bahwa unsur"),
            (
                considerations.clone(),
                None,
                some("Ad.1. Unsur \"Setiap Orang\"")
            )
        );
        assert_eq!(
            at("Menimbang, bahwa oleh karena semua unsur"),
            (considerations, None, None)
        );
        let ps = segment("d", None, &clean_lines(decision));
        let headings = heading_texts(&ps);
        assert_eq!(
            headings,
            [
                "PUTUSAN",
                "KESATU",
                "KEDUA",
                "Ad.1. Unsur \"Setiap Orang\"",
                "MENGADILI:"
            ]
        );
        assert_eq!(ps[0].title, "Putusan Nomor 14/Pid.Sus/2025/PN Kgn");
    }

    /// One paragraph a line (a Word file's text): a marker inside a paragraph keeps it whole,
    /// a marker at its end followed by a blank line does not carry it into the next one.
    #[test]
    fn a_marker_at_a_paragraphs_end_does_not_join_the_next() {
        let text = "Prostitusi anak didefinisikan oleh PBB sebagai eksploitasi seksual anak dengan pemberian upah dalam bentuk tunai atau sejenisnya, biasanya tetapi tidak selalu diselenggarakan oleh perantara (orangtua, anggota keluarga, germo, guru, dll).
1
Prostitusi anak berawal dari anak-anak yang diperdagangkan, baik secara domestik maupun internasional, untuk tenaga kerja, perdagangan seksual atau perdagangan organ, dari semua latar belakang.
2

Meksiko merupakan negara asal, transit, dan tujuan perdagangan perempuan dan anak. Perempuan dan anak-anak yang diambil dari Meksiko ke Amerika Serikat oleh perahu atau mobil dan kadang-kadang ke seberang perbatasan dengan berjalan kaki.

__________
1 Estes, Richard J. dan Weiner, Neil Alan. 2001. Hlmn 2
2 Wendt, Alexander. 1994. Collective Identity Formation. Hlmn 384
";
        let ps = segment("d", None, &clean_lines(text));
        let body: Vec<(&str, &[u32])> = ps
            .iter()
            .filter(|p| p.kind == Kind::Body)
            .map(|p| (&p.text[..20], p.footnotes.as_slice()))
            .collect();
        assert_eq!(
            body,
            [
                ("Prostitusi anak dide", &[1, 2][..]),
                ("Meksiko merupakan ne", &[][..])
            ],
            "{ps:#?}"
        );
        assert_eq!(ps.iter().filter(|p| p.kind == Kind::Footnote).count(), 2);
    }

    #[test]
    fn a_new_chapter_clears_the_section() {
        let (chapter, section, _) = place_of(THESIS, "Kebijakan ini menunjukkan");
        assert_eq!(chapter, some("BAB III — PENUTUP"));
        assert_eq!(section, None);
    }

    #[test]
    fn english_named_parts_title_their_paragraphs() {
        let paper = "Abstract

We study feminist foreign policy in Mexico and its effect on diplomacy.

Introduction

Mexico announced a feminist foreign policy in 2020.
";
        assert_eq!(place_of(paper, "We study"), (None, None, some("Abstract")));
        assert_eq!(
            place_of(paper, "Mexico announced"),
            (None, None, some("Introduction"))
        );
    }

    /// Headings of the seed article 003, whose two columns pdftotext extracted as lines of
    /// thirty-odd characters with a blank line after each: titles wrapped over two lines, one
    /// below a sentence that ends at the full width of the column (`3. Faktor Indovidual`), one
    /// below a paragraph the author left without a full stop, whose number follows the last
    /// heading's (`3. Infeksi Menular Seksual` after `2. Post Traumatic …`). Lines 1087–1244.
    #[test]
    fn headings_wrapped_in_narrow_columns_are_read_whole() {
        let lines: Vec<&str> = COLUMNS_003.lines().collect();
        let ps = segment("d", None, &clean_lines(&lines.join("\n\n")));
        let headings = heading_texts(&ps);
        assert_eq!(
            headings,
            [
                "2. Faktor Mikro / Situasional Eksternal",
                "3. Faktor Indovidual / Internal",
                "Dampak Fisik dan Psikologis Korban",
                "1. HIV/AIDS",
                "2. Post Traumatic Stress Disorder (PTSD)",
                "3. Infeksi Menular Seksual",
                "4. Depresi Berat",
            ]
        );
        let infeksi = ps
            .iter()
            .find(|p| p.text.starts_with("Anak-anak yang sedang, atau"))
            .unwrap();
        assert_eq!(
            infeksi.section_title.as_deref(),
            Some("3. Infeksi Menular Seksual")
        );
    }

    const COLUMNS_003: &str = "2. Faktor Mikro / Situasional
Eksternal
Faktor situasional eksternal
adalah proses dan peristiwa eksternal
yang mempengaruhi individu secara
langsung di mana mereka dapat
menggunakan beberapa kontrol.
Kebanyakan korban eksploitasi
seksual menanggapi apa yang
mereka alami sebagai sesuatu yang
membingungkan, dan sesuatu yang
tidak mungkin terjadi. Hal ini
termasuk disfungsi keluarga atau
perceraian, riwayat keluarga yang
menyalahgunaan narkotika, dan
pernah dilecehkan secara seksual.
3. Faktor Indovidual / Internal
Faktor internal adalah
tekanan kognitif dan psikogenik
yang mempengaruhi rasa penguasaan
seseorang atas lingkungan pribadinya
dan masa depannya. Banyak dari
anak-anak dengan ciri kedua faktor
diatas menderita harga diri rendah
dan tertekan atau sedang berjuang
dari rasa sakit lain. Sebagian besar
menggunakan berbagai kombinasi
narkoba dan sebagian bahkan
membenarkan kemustahilan situasi
mereka atas dasar mereka merasakan
sendiri keterlibatan dalam peristiwa
yang membawa mereka ke jalan,
misalnya, dengan \"membiarkan\" diri
mereka menjadi korban seksual di
rumah, menjadi tergantung pada
narkoba, dan gagal di sekolah.
Dampak Fisik dan Psikologis
Korban
1. HIV/AIDS
Meskipun bukti empiris
mengenai pengalaman remaja terlibat
dalam pekerjaan seks kurang, data
yang tersedia menunjukkan bahwa
pekerja seks muda mengalami
proporsional berisiko tinggi
terinfeksi HIV / IMS. Trauma ke
saluran kelamin meningkatkan risiko
HIV / IMS, dan usia yang lebih
muda telah secara independen terkait
dengan peningkatan risiko infeksi
HIV di antara wanita pekerja seks
(WPS) dan perempuan korban
perdagangan seks.
2. Post Traumatic Stress Disorder
(PTSD)
Anak-anak yang sedang atau
pernah dieksploitasi secara seksual,
sangat mungkin mengalami perasaan
cemas, stres atau rasa takut yang
begitu parah dikenal dengan Post
Traumatic Stress Disorder (PTSD)
3. Infeksi Menular Seksual
Anak-anak yang sedang, atau
telah dieksploitasi secara seksual
mungkin telah terjangkit pada infeksi
berikut, yang mereka akan
membutuhkan pengobatan: HIV /
AIDS, Chlamydia, Kutu Pubic,
Human Papilloma Virus (HPV atau
kutil kelamin), Herpes, Hepatitis B,
Sifilis, dan Trichomonas.
4. Depresi Berat
Ini merupakan salah satu
reaksi emosional dan psikologis yang
paling umum pada anak-anak yang
sedang atau telah dieksploitasi secara
seksual. Gejalanya berupa: kesedihan
berkepanjangan atau tangisan yang
tak dapat dijelaskan, perubahan nafsu
makan dengan kerugian signifikan";

    /// Where the PDF reader marked how lines meet the column's edge, a full line that ends a
    /// sentence carries the paragraph on, a short one ends it whatever its length in
    /// characters, and a title ends where space stands above the next line.
    #[test]
    fn layout_marks_decide_paragraphs_and_titles() {
        let (f, s) = ('\u{2028}', '\u{2029}');
        let text = format!(
            "Paragraf pertama yang panjang sekali di sini berakhir.{f}\n\
             Kalimat berikutnya masih paragraf yang sama.{s}\n\
             Paragraf kedua dan baris ini pendek sekali.{s}\n\
             {s}Peran ECPAT dan{s}\n\
             Pemerintah Meksiko{s}\n\
             {s}ECPAT Meksiko Bekerja dengan Jaringan Anak{f}\n\
             dan organisasi lain di negara itu.{s}\n"
        );
        let ps = segment("d", None, &clean_lines(&text));
        let texts: Vec<(Kind, &str)> = ps.iter().map(|p| (p.kind, p.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (
                    Kind::Body,
                    "Paragraf pertama yang panjang sekali di sini berakhir. Kalimat berikutnya \
                     masih paragraf yang sama."
                ),
                (Kind::Body, "Paragraf kedua dan baris ini pendek sekali."),
                (Kind::Heading, "Peran ECPAT dan Pemerintah Meksiko"),
                (
                    Kind::Body,
                    "ECPAT Meksiko Bekerja dengan Jaringan Anak dan organisasi lain di negara itu."
                ),
            ]
        );
    }
}
