import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.urls import reverse

from approvals import services as workflow
from approvals.audit import verify_chain
from records.models import Evidence, Session, SessionStatus
from records.roles import roles_for
from records.services import session_update
from tests import factories

D = datetime.date


def form_data(agreement, on="2022-04-07", **extra):
    data = {
        "date": on,
        "start_time": "09:00",
        "end_time": "10:30",
        "mode": "luring",
        "scope": "nasional",
        "place": "Ruang rapat",
        **factories.CONTENT,
    }
    data.update(extra)
    return data


@pytest.fixture
def coaching(demo):
    return factories.coaching(demo)


def test_an_employee_logs_numbered_sessions_as_drafts(client_as, coaching):
    client = client_as("pegawai")
    url = reverse("records:session_new", args=[coaching.pk])
    first = client.post(url, form_data(coaching))
    second = client.post(url, form_data(coaching, on="2022-04-14"))
    assert first.status_code == second.status_code == 302
    numbers = list(coaching.sessions.values_list("number", "status"))
    assert numbers == [(1, "draft"), (2, "draft")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_time": "10:00", "end_time": "09:00"}, "Jam selesai harus setelah jam mulai"),
        ({"date": "2023-01-05"}, "Tanggal harus dalam tahun kesepakatan (2022)"),
        ({"mode": "daring", "platform": ""}, "platform atau tautannya"),
        ({"needs": ""}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_saves_nothing(
    client_as, coaching, changes, message
):
    response = client_as("pegawai").post(
        reverse("records:session_new", args=[coaching.pk]), form_data(coaching, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "0"}, "Durasi belajar mandiri harus lebih dari 0 menit"),
        ({"duration_minutes": "2000"}, "paling lama 1.440 menit"),
        ({"resume": ""}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_belajar_mandiri_needs_a_duration_and_a_resume(client_as, demo, changes, message):
    agreement = factories.self_learning(demo)
    data = form_data(
        agreement, duration_minutes="60", resume="Ringkasan.", source=agreement.sources.first().pk
    )
    data.update(changes)
    response = client_as("pegawai").post(reverse("records:session_new", args=[agreement.pk]), data)
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_one_belajar_mandiri_record_per_day(demo):
    agreement = factories.self_learning(demo)
    factories.session(agreement, D(2022, 6, 1), start=None, minutes=60)
    with pytest.raises(Exception, match="sudah dicatat"):
        factories.session(agreement, D(2022, 6, 1), start=None, minutes=30)


def test_one_belajar_mandiri_record_per_day_across_agreements(demo):
    first, second = factories.self_learning(demo), factories.self_learning(demo)
    factories.session(first, D(2022, 6, 1), start=None, minutes=60)
    with pytest.raises(ValidationError, match="sudah dicatat"):
        factories.session(second, D(2022, 6, 1), start=None, minutes=30)
    other_day = factories.session(second, D(2022, 6, 2), start=None, minutes=30)
    with pytest.raises(ValidationError, match="sudah dicatat"):
        session_update(session=other_day, actor=second.employee, date=D(2022, 6, 1))
    assert Session.objects.filter(date=D(2022, 6, 1)).count() == 1


def test_a_mentoring_session_needs_an_accepted_request(client_as, demo):
    agreement = factories.mentoring(demo, activate=False)
    response = client_as("pegawai").post(
        reverse("records:session_new", args=[agreement.pk]), form_data(agreement)
    )
    assert "setelah permohonan mentoring disetujui" in response.content.decode()
    assert not Session.objects.exists()


def test_status_and_jp_smuggled_into_the_form_are_ignored(client_as, coaching):
    client_as("pegawai").post(
        reverse("records:session_new", args=[coaching.pk]),
        form_data(coaching, status="verified", credit_jp="9.0", number="7"),
    )
    session = Session.objects.get()
    assert (session.status, session.credit_jp, session.number) == ("draft", None, 1)


def test_submitting_asks_for_confirmation_then_submits_once(client_as, coaching):
    session = factories.session(coaching, D(2022, 4, 7))
    client = client_as("pegawai")
    url = reverse("records:session_submit", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Ajukan pertemuan?" in page and "<strong>2 JP</strong>" in page
    client.post(url)
    client.post(url)  # the form sent twice
    session.refresh_from_db()
    assert session.status == SessionStatus.SUBMITTED
    assert session.audit_entries.count() == 1


def test_a_future_session_can_be_drafted_but_not_submitted(client_as, demo):
    future = datetime.date.today() + datetime.timedelta(days=2)
    agreement = factories.coaching(demo, year=future.year)
    session = factories.session(agreement, future)
    response = client_as("pegawai").post(
        reverse("records:session_submit", args=[session.pk]), follow=True
    )
    assert "belum terjadi tidak dapat diajukan" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT


def test_a_submitted_session_cannot_be_edited_or_deleted(client_as, coaching):
    session = factories.session(coaching, D(2022, 4, 7))
    client = client_as("pegawai")
    client.post(reverse("records:session_submit", args=[session.pk]))
    client.post(reverse("records:session_edit", args=[session.pk]), form_data(coaching, place="X"))
    client.post(reverse("records:session_delete", args=[session.pk]))
    session.refresh_from_db()
    assert session.place == "Ruang rapat Biro SDM" and session.status == "submitted"


def test_a_draft_can_be_edited_and_deleted_by_its_owner_only(client_as, coaching):
    session = factories.session(coaching, D(2022, 4, 7))
    edit = reverse("records:session_edit", args=[session.pk])
    assert client_as("atasan").post(edit, form_data(coaching, place="X")).status_code == 404
    assert client_as("pegawai").post(edit, form_data(coaching, place="Aula")).status_code == 302
    session.refresh_from_db()
    assert session.place == "Aula"
    client_as("pegawai").post(reverse("records:session_delete", args=[session.pk]))
    assert not Session.objects.exists()


class TestEvidence:
    def upload(self, client, session, name, data, content_type="application/octet-stream"):
        return client.post(
            reverse("records:evidence_upload", args=[session.pk]),
            {"file": SimpleUploadedFile(name, data, content_type=content_type)},
            follow=True,
        )

    def test_a_png_and_a_pdf_are_accepted_and_stored_privately(self, client_as, coaching, settings):
        session = factories.session(coaching, D(2022, 4, 7))
        client = client_as("pegawai")
        self.upload(client, session, "foto.png", factories.png_bytes())
        self.upload(client, session, "notulen.pdf", factories.PDF_BYTES)
        stored = list(Evidence.objects.order_by("id"))
        assert [e.content_type for e in stored] == ["image/png", "application/pdf"]
        assert all(e.file.name.startswith("evidence/2022/") for e in stored)
        assert "foto" not in stored[0].file.name  # unguessable name
        assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT)

    def test_the_type_is_checked_by_content_not_by_name(self, client_as, coaching):
        session = factories.session(coaching, D(2022, 4, 7))
        response = self.upload(
            client_as("pegawai"), session, "foto.png", b"MZ\x90\x00 not an image"
        )
        assert "Isi berkas bukan PDF, JPG atau PNG" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_a_damaged_image_is_refused(self, client_as, coaching):
        session = factories.session(coaching, D(2022, 4, 7))
        response = self.upload(
            client_as("pegawai"), session, "foto.png", factories.png_bytes()[:30]
        )
        assert "Gambar rusak" in response.content.decode()

    def test_a_file_over_5_mb_is_refused(self, client_as, coaching):
        session = factories.session(coaching, D(2022, 4, 7))
        big = factories.PDF_BYTES + b"0" * (5 * 1024 * 1024)
        response = self.upload(client_as("pegawai"), session, "besar.pdf", big)
        assert "paling besar 5 MB" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_a_request_over_6_mb_is_refused_before_its_body_is_read(
        self, client_as, coaching, monkeypatch
    ):
        session = factories.session(coaching, D(2022, 4, 7))
        parsed = []
        original = MultiPartParser.parse
        monkeypatch.setattr(
            MultiPartParser, "parse", lambda parser: parsed.append(1) or original(parser)
        )
        big = factories.PDF_BYTES + b"0" * (6 * 1024 * 1024)
        response = self.upload(client_as("pegawai"), session, "besar.pdf", big)
        assert "paling besar 5 MB" in response.content.decode()
        assert parsed == []  # refused on the declared length, the upload never parsed
        assert not Evidence.objects.exists()

    def test_evidence_is_served_only_to_people_who_may_see_the_session(self, client_as, coaching):
        session = factories.session(coaching, D(2022, 4, 7))
        self.upload(client_as("pegawai"), session, "foto.png", factories.png_bytes())
        url = reverse("records:evidence_download", args=[Evidence.objects.get().pk])
        assert client_as("pegawai").get(url).status_code == 200
        assert client_as("atasan").get(url).status_code == 200
        assert client_as("pengelola").get(url).status_code == 200
        assert client_as("biro").get(url).status_code == 200
        assert client_as("anonymous").get(url).status_code == 302

    def test_another_users_file_is_a_404(self, client_as, coaching, demo):
        session = factories.session(coaching, D(2022, 4, 7))
        self.upload(client_as("pegawai"), session, "foto.png", factories.png_bytes())
        url = reverse("records:evidence_download", args=[Evidence.objects.get().pk])
        assert demo.client_for("outsider").get(url).status_code == 404
        assert client_as("mentor").get(url).status_code == 404
        missing = reverse("records:evidence_download", args=[99999])
        assert client_as("pegawai").get(missing).status_code == 404

    def test_a_file_missing_on_disk_is_a_404_and_a_warning(self, client_as, coaching, caplog):
        session = factories.session(coaching, D(2022, 4, 7))
        client = client_as("pegawai")
        self.upload(client, session, "foto.png", factories.png_bytes())
        evidence = Evidence.objects.get()
        evidence.file.storage.delete(evidence.file.name)  # lost in a bad restore, say
        with caplog.at_level("WARNING"):
            response = client.get(reverse("records:evidence_download", args=[evidence.pk]))
        assert response.status_code == 404
        warning = next(r for r in caplog.records if r.levelname == "WARNING")
        assert f"evidence={evidence.pk}" in warning.getMessage()

    def test_evidence_is_frozen_after_submission(self, client_as, coaching):
        session = factories.session(coaching, D(2022, 4, 7))
        client = client_as("pegawai")
        client.post(reverse("records:session_submit", args=[session.pk]))
        response = self.upload(client, session, "foto.png", factories.png_bytes())
        assert "tidak dapat ditambahkan setelah pertemuan diajukan" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_evidence_changes_on_a_returned_session_are_in_the_audit_trail(
        self, client_as, coaching, demo
    ):
        session = factories.session(coaching, D(2022, 4, 7))
        client = client_as("pegawai")
        self.upload(client, session, "draf.png", factories.png_bytes())
        assert not session.audit_entries.exists()  # a draft's evidence is not audited
        client.post(reverse("records:session_submit", args=[session.pk]))
        workflow.session_return(
            session=session, actor_roles=roles_for(demo.atasan), actor=demo.atasan, comment="Foto?"
        )
        self.upload(client, session, "notulen.pdf", factories.PDF_BYTES)
        old = Evidence.objects.get(original_name="draf.png")
        client.post(reverse("records:evidence_delete", args=[old.pk]))
        changed = list(session.audit_entries.filter(action="changed").order_by("seq"))
        assert [(e.changes, e.actor, e.to_status) for e in changed] == [
            ({"bukti": {"ditambah": "notulen.pdf"}}, demo.pegawai, "returned"),
            ({"bukti": {"dihapus": "draf.png"}}, demo.pegawai, "returned"),
        ]
        assert verify_chain().broken_at is None


class TestJpPreview:
    def preview(self, client, agreement, on):
        return client.post(
            reverse("records:jp_preview"), {"agreement": agreement.pk, **form_data(agreement, on)}
        ).content.decode()

    def test_it_shows_the_value_of_a_first_meeting(self, client_as, coaching):
        html = self.preview(client_as("pegawai"), coaching, "2022-04-07")
        assert 'data-testid="jp-credit">2<' in html

    def test_a_third_coaching_in_a_month_shows_zero_with_the_reason_before_submission(
        self, client_as, coaching
    ):
        client = client_as("pegawai")
        for day in (7, 14):
            session = factories.session(coaching, D(2022, 4, day))
            client.post(reverse("records:session_submit", args=[session.pk]))
        html = self.preview(client, coaching, "2022-04-21")
        assert 'data-testid="jp-credit">0<' in html
        assert "Batas 2 kali coaching per bulan (April 2022) sudah tercapai" in html
        assert "2 dari 2 sudah tercatat" in html
        assert "pertemuan ini 0 JP" in html

    def test_without_a_date_it_asks_for_one(self, client_as, coaching):
        html = self.preview(client_as("pegawai"), coaching, "")
        assert "Isi tanggal" in html

    def test_it_refuses_someone_elses_agreement(self, client_as, coaching):
        response = client_as("atasan").post(
            reverse("records:jp_preview"), {"agreement": coaching.pk, "date": "2022-04-07"}
        )
        assert response.status_code == 404


@pytest.mark.parametrize("data", [{"agreement": "abc"}, {"agreement": "1", "session": "x"}, {}])
def test_the_preview_answers_404_to_malformed_ids(client_as, demo, data):
    assert client_as("pegawai").post(reverse("records:jp_preview"), data).status_code == 404


@pytest.mark.parametrize("year", ["0", "99999", "abc"])
def test_my_records_falls_back_to_this_year_for_an_impossible_year(client_as, demo, year):
    response = client_as("pegawai").get("/cmb/", {"tahun": year})
    assert response.status_code == 200


def test_the_submit_page_of_a_submitted_session_goes_back_to_the_session(client_as, coaching):
    session = factories.session(coaching, D(2022, 4, 7))
    client = client_as("pegawai")
    client.post(reverse("records:session_submit", args=[session.pk]))
    response = client.get(reverse("records:session_submit", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("records:session_detail", args=[session.pk])
