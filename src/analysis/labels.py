"""Every word a reader sees, in Vietnamese (with its diacritics) and English, in one place.

The indicator's own name and wording (here: integrating the electronic health book into
VNeID) live in ``INDICATOR`` so that another uptake campaign of the digital-identity programme
is a change of words, not of analysis code. ``label(key, lang, **values)`` fills the
placeholders; numbers are formatted by ``present`` before they get here.
"""

from __future__ import annotations

INDICATOR = {
    "name": {"vi": "tích hợp sổ sức khỏe điện tử trên VNeID",
             "en": "integration of the electronic health book into VNeID"},
    "people_done": {"vi": "đã được hỗ trợ tích hợp", "en": "supported to integrate"},
}

TRACKS = {
    "residents": {"vi": "Người dân (từ 14 tuổi)", "en": "Residents (aged 14+)"},
    "facilities": {"vi": "Cơ sở khám, chữa bệnh", "en": "Medical facilities"},
    "cadres": {"vi": "Cán bộ, công chức, viên chức", "en": "Cadres and civil servants"},
}

UNIT_TYPES = {
    "commune": {"vi": "Xã", "en": "Commune"},
    "ward": {"vi": "Phường", "en": "Ward"},
    "hospital": {"vi": "Bệnh viện", "en": "Hospital"},
    "regional_centre": {"vi": "Trung tâm y tế khu vực", "en": "Regional medical centre"},
    "private_clinic": {"vi": "Phòng khám tư nhân", "en": "Private clinic"},
    "health_station": {"vi": "Trạm y tế xã", "en": "Commune health station"},
    "facility": {"vi": "Cơ sở y tế", "en": "Medical facility"},
    "agency": {"vi": "Cơ quan, đơn vị", "en": "Agency"},
}

TEXT = {
    "report_title": {"vi": "Kết quả giai đoạn: {indicator}", "en": "Phase results: {indicator}"},
    "index_title": {"vi": "Báo cáo kỳ {period}", "en": "Reports for period {period}"},
    "subtitle": {"vi": "{province} · số liệu đến ngày {as_of} · chỉ tiêu {target}",
                 "en": "{province} · data as of {as_of} · target {target}"},
    "headline": {"vi": "Kết quả chính", "en": "Headline"},
    "headline_track": {
        "vi": "{track}: {supported} {done}, đạt {rate} so với chỉ tiêu {target} ({achievement} kế hoạch).",
        "en": "{track}: {supported} {done}, {rate} against a target of {target} ({achievement} of target).",
    },
    "headline_reporting": {"vi": "Số liệu của {reported}/{expected} đơn vị đã báo cáo.",
                           "en": "Figures from {reported} of {expected} units that reported."},
    "headline_carried": {
        "vi": "Nếu giữ nguyên số liệu lần báo cáo gần nhất của {n} đơn vị chưa báo cáo: {rate}.",
        "en": "With the last report of the {n} units that did not report carried forward: {rate}.",
    },
    "headline_gap": {"vi": "Còn thiếu {gap} người để đạt chỉ tiêu.", "en": "{gap} more people are needed to reach the target."},
    "headline_previous": {"vi": "Cùng thời điểm giai đoạn trước ({date}): {rate} ({change}).",
                          "en": "Same point of the previous phase ({date}): {rate} ({change})."},
    "central_rate": {
        "vi": "Theo hệ thống của Cục C06 (Bộ Công an), tỷ lệ tích hợp chung của tỉnh là {rate} tính đến ngày {date}, "
              "xếp thứ {rank}/{n} tỉnh, thành phố{change}.",
        "en": "By the national system of Department C06 (Ministry of Public Security), the province's overall "
              "integration rate was {rate} as of {date}, ranking {rank} of {n} provinces and cities{change}.",
    },
    "rank_up": {"vi": " (tăng {k} bậc so với trước giai đoạn)", "en": " (up {k} places since the phase began)"},
    "rank_down": {"vi": " (giảm {k} bậc so với trước giai đoạn)", "en": " (down {k} places since the phase began)"},
    "rank_same": {"vi": " (không đổi so với trước giai đoạn)", "en": " (unchanged since the phase began)"},
    "central_count": {
        "vi": "Các đơn vị đã hỗ trợ {supported} lượt, nhưng hệ thống trung ương mới ghi nhận {central} trường hợp "
              "tích hợp thành công (ngày {date}).",
        "en": "Units supported {supported} people, but the central system recorded only {central} successful "
              "integrations (as of {date}).",
    },
    "col_track": {"vi": "Khối", "en": "Track"},
    "col_units": {"vi": "Đơn vị báo cáo", "en": "Units reporting"},
    "col_eligible": {"vi": "Số đối tượng", "en": "Eligible"},
    "col_supported": {"vi": "Đã hỗ trợ tích hợp", "en": "Supported"},
    "col_rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "col_target": {"vi": "Chỉ tiêu", "en": "Target"},
    "col_achievement": {"vi": "% kế hoạch", "en": "% of target"},
    "col_gap": {"vi": "Còn thiếu", "en": "Still needed"},
    "col_cf_rate": {"vi": "Tỷ lệ (kể cả số liệu cũ)", "en": "Rate (last report carried)"},
    "col_previous": {"vi": "Giai đoạn trước", "en": "Previous phase"},
    "col_change": {"vi": "Thay đổi", "en": "Change"},
    "points": {"vi": "điểm %", "en": "pts"},
    "no_data": {"vi": "không có số liệu", "en": "no data"},
    "footer_synthetic": {
        "vi": "Dữ liệu mô phỏng: bộ số liệu mẫu được tạo lập để khớp với các số liệu đã công bố; "
              "số liệu từng đơn vị không phải là số liệu thật.",
        "en": "Synthetic data: a sample data set made to match the published figures; "
              "unit-level figures are not real.",
    },
    "footer_source": {"vi": "Nguồn dữ liệu: {source}", "en": "Data source: {source}"},
    "footer_params": {"vi": "Tham số: {params}", "en": "Parameters: {params}"},
    "assumed_phase": {"vi": "Ngày của {name} là giả định.", "en": "The dates of {name} are an assumption."},
    "index_reports": {"vi": "Các báo cáo", "en": "Reports"},
    "index_files": {"vi": "Tệp dữ liệu đã đọc", "en": "Data files read"},
    "col_file": {"vi": "Tệp", "en": "File"},
    "col_kind": {"vi": "Loại", "en": "Kind"},
    "col_date": {"vi": "Ngày", "en": "Date"},
    "col_rows": {"vi": "Số dòng", "en": "Rows"},
}

NOTEBOOK_TITLES = {  # notebook file stem -> key of its report title in TEXT
    "01_phase_results": "report_title",
}


def _pick(entry: dict, lang: str) -> str:
    return entry.get(lang) or entry["vi"]


def label(key: str, lang: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled (indicator words included)."""
    words = {"indicator": _pick(INDICATOR["name"], lang), "done": _pick(INDICATOR["people_done"], lang)}
    return _pick(TEXT[key], lang).format(**{**words, **values})


def track_name(track: str, lang: str) -> str:
    """The reader's name of a track."""
    return _pick(TRACKS[track], lang) if track in TRACKS else str(track)


def unit_type_name(unit_type: str, lang: str) -> str:
    """The reader's name of a unit type."""
    return _pick(UNIT_TYPES[unit_type], lang) if unit_type in UNIT_TYPES else str(unit_type)
