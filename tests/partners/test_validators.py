import pytest
from django.core.exceptions import ValidationError

from partners.models import Organization
from partners.validators import corporate_number_check_digit, validate_corporate_number


def test_check_digit_of_the_national_tax_agency():
    # 国税庁's own corporate number is 7000012050002.
    assert corporate_number_check_digit("000012050002") == 7
    validate_corporate_number("7000012050002")


@pytest.mark.parametrize(
    "value, message",
    [
        ("6000012050002", "チェックデジット"),
        ("700001205000", "13桁の半角数字"),
        ("7000-01205-0002", "13桁の半角数字"),
        ("７０００１２０５０００２", "13桁の半角数字"),
    ],
)
def test_wrong_corporate_numbers_are_refused_in_japanese(value, message):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(value)
    assert message in error.value.messages[0]


def _organization(**fields) -> Organization:
    data = {"name": "NPO法人テスト", "kind": "npo", "kana": "テスト"}
    data.update(fields)
    return Organization(**data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("kana", "Midori", "全角のカタカナまたはひらがな"),
        ("kana", "ｍｉｄｏｒｉ", "全角のカタカナまたはひらがな"),  # ﾐﾄﾞﾘ is kept as ミドリ
        ("kana", "緑の手", "全角のカタカナまたはひらがな"),
        ("website", "ftp://example.org/", "http:// または https://"),
        ("website", "javascript:alert(1)", "http:// または https://"),
        ("corporate_number", "1234567890123", "チェックデジット"),
    ],
)
def test_organization_refuses_bad_fields(field, value, message):
    with pytest.raises(ValidationError) as error:
        _organization(**{field: value}).full_clean()
    assert any(message in m for m in error.value.message_dict[field])


@pytest.mark.django_db
def test_valid_organization_passes():
    _organization(
        kana="ミドリノテ　ちば・ネット",
        website="https://example.org/",
        corporate_number="7000012050002",
    ).full_clean()


@pytest.mark.django_db
def test_admin_form_shows_the_message_next_to_the_field(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/partners/organization/add/",
        {
            "name": "株式会社テスト",
            "kana": "テスト",
            "kind": "company",
            "corporate_number": "1234567890123",
            "website": "ftp://example.org/",
            "records-TOTAL_FORMS": "0",
            "records-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "チェックデジットが一致しません" in html
    assert "http:// または https://" in html
    assert 'value="株式会社テスト"' in html  # what was typed is kept
    assert not Organization.objects.filter(name="株式会社テスト").exists()
