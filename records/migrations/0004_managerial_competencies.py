"""Reference data: the 8 managerial competencies and their levels 1-3 (Langsa guide, section D)."""

from django.db import migrations

COMPETENCIES = [
    (1, "Integritas", "Bertindak sesuai nilai, norma, etika organisasi",
     "Mengajak rekan bertindak sesuai nilai",
     "Menanamkan keyakinan agar bawahan bertindak sesuai nilai"),
    (2, "Kerjasama", "Berpartisipasi dalam tim", "Membangun tim yang partisipatif",
     "Meningkatkan kinerja organisasi"),
    (3, "Komunikasi", "Menyampaikan informasi dengan jelas",
     "Aktif berkomunikasi formal dan informal", "Menyampaikan informasi yang kompleks"),
    (4, "Orientasi pada hasil", "Memenuhi standar kerja", "Melebihi standar yang ditetapkan",
     "Menetapkan target kinerja yang menantang"),
    (5, "Pelayanan Publik", "Mematuhi standar pelayanan", "Mensupervisi proses pelayanan",
     "Memperbaiki standar pelayanan"),
    (6, "Pengembangan diri", "Pengembangan individu pegawai", "Meningkatkan kemampuan bawahan",
     "Memberi umpan balik dan membimbing"),
    (7, "Mengelola Perubahan", "Mengikuti perubahan dengan arahan",
     "Proaktif beradaptasi mengikuti perubahan", "Membantu orang lain mengantisipasi perubahan"),
    (8, "Pengambilan Keputusan", "Mengumpulkan informasi sesuai kewenangan",
     "Menganalisis masalah secara mendalam", "Membandingkan berbagai alternatif"),
]


def load(apps, schema_editor):
    model = apps.get_model("records", "ManagerialCompetency")
    for number, name, level_1, level_2, level_3 in COMPETENCIES:
        model.objects.update_or_create(
            number=number,
            defaults={"name": name, "level_1": level_1, "level_2": level_2, "level_3": level_3},
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0003_cmb")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
