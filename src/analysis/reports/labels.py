"""Every word a reader sees, in Vietnamese (with its diacritics) and English, in one place.

The indicator's own name and wording, and its tracks' names, come from the campaign being
analysed (``data.campaign``: a data directory's ``campaign.toml``, else the electronic health
book's), so that another uptake campaign of the digital-identity programme is a change of data,
not of code: texts say ``{act}``, ``{done}``, ``{main}`` and the like, filled by ``label``. ``label(key, lang, **values)`` fills the
placeholders; numbers are formatted by ``present`` before they get here.
"""

from __future__ import annotations

import re

from analysis.data.campaign import active
from analysis.text import normalise_text

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
    "headline_gap_reported": {
        "vi": "Còn thiếu {gap} {counted} để đạt chỉ tiêu ở {reported} đơn vị đã báo cáo.",
        "en": "{gap} more {counted} are needed to reach the target over the {reported} units that reported."},
    "headline_gap_bounds": {
        "vi": "Tính cả {n} đơn vị chưa báo cáo kỳ này theo số liệu lần báo cáo cuối (số của các đơn vị này chỉ có thể "
              "tăng thêm), số còn thiếu nằm trong khoảng {gap} – {gap_cf} {counted}.",
        "en": "Counting the {n} units that did not report this time at their last report (their counts can only "
              "have grown), the shortfall lies between {gap} and {gap_cf} {counted}."},
    "headline_gap_never": {
        "vi": "{n} đơn vị chưa từng báo cáo chưa được tính (số còn thiếu thực tế có thể lớn hơn).",
        "en": "Units that never reported ({n}) are not counted (the true shortfall may be larger)."},
    "summary_track": {"vi": "{track}: {rate} so với chỉ tiêu {target} ({reported}/{expected} đơn vị đã báo cáo).",
                      "en": "{track}: {rate} against a {target} target ({reported} of {expected} units reported)."},
    "summary_missing": {"vi": "{n} đơn vị chưa báo cáo: {names}.", "en": "Units that have not reported ({n}): {names}."},
    "summary_findings": {"vi": "{n} vấn đề về chất lượng số liệu được liệt kê ở phụ lục.",
                         "en": "{n} data-quality findings are listed in the appendix."},
    "scorecard": {"vi": "Bảng tổng hợp từng đơn vị", "en": "Every unit at a glance"},
    "scorecard_aside": {"vi": " (không kể khối {tracks})", "en": " ({tracks} aside)"},
    "scorecard_text": {
        "vi": "{n_green} đơn vị{aside} đã đạt chỉ tiêu. Màu: xanh từ {green} kế hoạch, vàng từ {amber}, "
              "đỏ dưới {amber}; tốc độ cần và tốc độ 4 tuần gần nhất tính theo người mỗi tuần.",
        "en": "{n_green} units{aside} have reached the target. Colours: green from {green} of target, amber from "
              "{amber}, red below {amber}; pace needed and the last 4 weeks' pace in people a week."},
    "headline_gap": {"vi": "Còn thiếu {gap} {counted} để đạt chỉ tiêu.", "en": "{gap} more {counted} are needed to reach the target."},
    "headline_period": {"vi": "So với kỳ báo cáo trước ({period}, số liệu đến ngày {date}): {rate} ({change}).",
                        "en": "Previous report ({period}, data as of {date}): {rate} ({change})."},
    "headline_previous": {"vi": "Cùng thời điểm giai đoạn trước ({date}): {rate} ({change}).",
                          "en": "Same point of the previous phase ({date}): {rate} ({change})."},
    "central_rate": {
        "vi": "Theo hệ thống của Cục C06 (Bộ Công an), tỷ lệ {act} chung của tỉnh là {rate} tính đến ngày {date}, "
              "xếp thứ {rank}/{n} tỉnh, thành phố{change}.",
        "en": "By the national system of Department C06 (Ministry of Public Security), the province's overall "
              "{act} rate was {rate} as of {date}, ranking {rank} of {n} provinces and cities{change}.",
    },
    "rank_up": {"vi": " (tăng {k} bậc so với trước giai đoạn)", "en": " (up {k} places since the phase began)"},
    "rank_down": {"vi": " (giảm {k} bậc so với trước giai đoạn)", "en": " (down {k} places since the phase began)"},
    "rank_same": {"vi": " (không đổi so với trước giai đoạn)", "en": " (unchanged since the phase began)"},
    "central_count": {
        "vi": "Các đơn vị đã hỗ trợ {residents} {main} và {facilities} lượt người bệnh (báo cáo của Sở cộng chung "
              "là {supported}; người và lượt khám là hai cách đếm khác nhau nên không gộp thành một tỷ lệ); hệ thống "
              "trung ương ghi nhận {central} trường hợp {act} thành công (ngày {date}).",
        "en": "Units supported {residents} {main} and {facilities} patient visits (the department's report adds "
              "them up to {supported}; people and visits are counted differently, so they are not combined into one "
              "rate); the central system recorded {central} successful {acts} (as of {date}).",
    },
    "monitoring": {"vi": "Tiến độ theo thời gian", "en": "Progress over time"},
    "monitoring_text": {
        "vi": "Tính đến {date}, tỷ lệ {main} đạt {rate}; theo đường chỉ tiêu, lẽ ra phải đạt {expected} vào ngày này ({verdict}).",
        "en": "By {date} the {main}' rate stood at {rate}; the target line called for {expected} by that date ({verdict}).",
    },
    "on_track": {"vi": "đúng tiến độ", "en": "on track"},
    "behind": {"vi": "chậm {gap} so với tiến độ", "en": "{gap} behind"},
    "monitoring_note": {
        "vi": "Đơn vị không báo cáo trong một tuần được giữ số liệu lần báo cáo trước, để khoảng trống không bị hiểu là giảm.",
        "en": "A unit that skipped a week keeps its previous report, so a gap is not read as a fall.",
    },
    "league": {"vi": "Bảng xếp hạng đơn vị", "en": "League table of units"},
    "league_text": {
        "vi": "{n_green} đơn vị đạt hoặc vượt chỉ tiêu: {names}. Màu: xanh ≥ {green} kế hoạch, vàng ≥ {amber}, đỏ thấp hơn; xám: không báo cáo.",
        "en": "{n_green} units reached or passed their target: {names}. Colours: green ≥ {green} of target, amber ≥ {amber}, red below; grey: did not report.",
    },
    "not_reported": {"vi": "không báo cáo", "en": "did not report"},
    "unit_types": {"vi": "Theo loại đơn vị", "en": "By unit type"},
    "unit_types_text": {
        "vi": "{type_low}: tỷ lệ chung {low_rate} (trung vị {low_median}), so với {type_high}: {high_rate}.",
        "en": "{type_low}: pooled rate {low_rate} (median {low_median}), against {type_high}: {high_rate}.",
    },
    "funnel": {"vi": "Từ hỗ trợ đến ghi nhận trung ương", "en": "From supported to recorded centrally"},
    "funnel_cause": {"vi": "Báo cáo của Sở nêu {cause}; số liệu cho thấy khoảng cách này nhưng không tự chỉ ra nguyên nhân.",
                     "en": "The department's report names {cause}; the data show the gap but cannot by themselves tell its cause."},
    "funnel_text": {
        "vi": "Hệ thống trung ương mới ghi nhận {residents} số {main} và {facilities} số lượt người bệnh mà các đơn vị "
              "báo cáo đã hỗ trợ.{central_note}",
        "en": "The central system has recorded {residents} of the {main} and {facilities} of the patient visits that "
              "units report as supported.{central_note}",
    },
    "quadrant_text": {
        "vi": "{n_exchange} đơn vị hỗ trợ tốt nhưng ít được ghi nhận (nghẽn dữ liệu); {n_outreach} đơn vị được ghi nhận tốt nhưng hỗ trợ còn ít.",
        "en": "{n_exchange} units support well but are little recorded (data bottleneck); {n_outreach} are recorded well but support too few.",
    },
    "reporting": {"vi": "Tình hình báo cáo", "en": "Reporting"},
    "reporting_text": {
        "vi": "Ngày {date}: {reported}/{expected} đơn vị đã báo cáo; {late} báo cáo gửi trễ.",
        "en": "On {date}: {reported} of {expected} units reported; {late} reports were sent late.",
    },
    "kind_never": {"vi": "chưa từng báo cáo", "en": "never reported"},
    "reporting_names": {"vi": "{kind}: {names}.", "en": "{kind}: {names}."},
    "non_reporters": {"vi": "Đơn vị chưa báo cáo", "en": "Units that have not reported"},
    "kind_stopped": {"vi": "đã ngừng báo cáo", "en": "stopped reporting"},
    "kind_missed": {"vi": "thiếu báo cáo gần đây", "en": "missed recent reports"},
    "data_quality": {"vi": "Chất lượng số liệu", "en": "Data quality"},
    "data_quality_text": {"vi": "{n} điểm cần lưu ý về số liệu (số liệu được giữ nguyên như báo cáo).",
                          "en": "{n} data-quality findings (figures are kept as reported)."},
    "dq_falling_count": {"vi": "Số tích lũy giảm", "en": "Cumulative count fell"},
    "dq_total_mismatch": {"vi": "Dòng tổng không khớp", "en": "Total row disagrees"},
    "dq_stated_rate_mismatch": {"vi": "Tỷ lệ ghi sẵn không khớp số liệu", "en": "Stated rate disagrees with counts"},
    "dq_unusual_jump": {"vi": "Tăng bất thường trong tuần", "en": "Unusual weekly jump"},
    "dq_encoding": {"vi": "Mã hóa tệp", "en": "File encoding"},
    "dqd_falling_count": {"vi": "{reference} → {value}", "en": "{reference} → {value}"},
    "dqd_total_mismatch": {"vi": "dòng tổng {value}, cộng các dòng {reference}", "en": "total row {value}, rows add up to {reference}"},
    "dqd_stated_rate_mismatch": {"vi": "ghi {value}, tính từ số liệu {reference}", "en": "stated {value}, counts give {reference}"},
    "dqd_unusual_jump": {"vi": "{value} điểm % kế hoạch/tuần, thường {reference}", "en": "{value} pts of target a week, usually {reference}"},
    "dqd_encoding": {"vi": "không phải UTF-8: đã đọc theo bảng mã Windows-1258", "en": "not UTF-8: read as Windows-1258"},
    "dqd_extra_columns": {"vi": "cột không dùng: {value}", "en": "unused columns: {value}"},
    "dq_extra_columns": {"vi": "Cột không dùng", "en": "Unused columns"},
    "dq_code_leading_zeros": {"vi": "Mã đơn vị mất số 0 đầu", "en": "Unit codes lost leading zeros"},
    "dqd_code_leading_zeros": {"vi": "mã '{value}' được đối chiếu thành '{reference}' theo danh mục",
                               "en": "code '{value}' matched to '{reference}' in the register"},
    "dq_skipped_sheet": {"vi": "Trang tính không đọc", "en": "Sheet not read"},
    "dqd_skipped_sheet": {"vi": "trang '{value}' không có dòng tiêu đề cột đã biết",
                          "en": "sheet '{value}' has no header of known columns"},
    "dq_two_row_header": {"vi": "Tiêu đề cột trên hai dòng", "en": "Header over two rows"},
    "dqd_two_row_header": {"vi": "tiêu đề đọc từ dòng {value}", "en": "header read from {value}"},
    "dq_formula_values": {"vi": "Ô có công thức", "en": "Formula cells"},
    "dqd_formula_values": {"vi": "{value} ô công thức: dùng giá trị Excel đã lưu",
                           "en": "{value} formula cells: values as last saved by Excel"},
    "dq_hidden_rows": {"vi": "Dòng bị ẩn", "en": "Hidden rows"},
    "dqd_hidden_rows": {"vi": "các dòng ẩn vẫn được đọc: {value}", "en": "hidden rows read like the others: {value}"},
    "actions": {"vi": "Đơn vị cần hành động", "en": "Units needing action"},
    "actions_text": {
        "vi": "{n} đơn vị thấp xa chỉ tiêu hoặc chậm tiến độ; còn {weeks} tuần đến hạn chót {deadline}. Bảng dưới nêu {shown} đơn vị thiếu nhiều nhất; danh sách đầy đủ trong action_list.csv.",
        "en": "{n} units are far below target or behind pace; {weeks} weeks remain to the deadline of {deadline}. The table shows the {shown} with the largest gaps; the full list is in action_list.csv.",
    },
    "reason_far_below": {"vi": "thấp xa chỉ tiêu", "en": "far below target"},
    "reason_behind_pace": {"vi": "chậm tiến độ", "en": "behind pace"},
    "context": {"vi": "Vị trí của tỉnh", "en": "The province among all"},
    "unit_types_table": {"vi": "Kết quả theo loại đơn vị", "en": "Results by kind of unit"},
    "detail_charts": {"vi": "Biểu đồ chi tiết", "en": "Detailed charts"},
    "detail_charts_text": {
        "vi": "Các biểu đồ làm rõ các bảng ở phần chính: tỷ lệ từng đơn vị theo loại đơn vị; đơn vị theo số đã hỗ trợ "
              "và số được hệ thống trung ương ghi nhận; số đơn vị báo cáo qua từng kỳ; vị trí của tỉnh so với các tỉnh, "
              "thành phố.",
        "en": "The charts behind the tables of the report: each unit's rate by kind of unit; units by people supported "
              "and by people recorded centrally; units reporting at each report date; the province among all "
              "provinces."},
    "col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "col_rank": {"vi": "Hạng", "en": "Rank"},
    "col_unit_type": {"vi": "Loại", "en": "Type"},
    "col_status": {"vi": "Tình trạng", "en": "Status"},
    "col_kind": {"vi": "Loại", "en": "Kind"},
    "col_last": {"vi": "Lần báo cáo cuối", "en": "Last report"},
    "col_missed": {"vi": "Số kỳ thiếu", "en": "Reports missed"},
    "col_finding": {"vi": "Vấn đề", "en": "Finding"},
    "col_where": {"vi": "Vị trí", "en": "Where"},
    "col_detail": {"vi": "Chi tiết", "en": "Detail"},
    "col_needed": {"vi": "Cần/tuần", "en": "Needed/week"},
    "col_recent": {"vi": "Tốc độ 4 tuần", "en": "Last 4 weeks/week"},
    "col_reason": {"vi": "Lý do", "en": "Reason"},
    "col_reported": {"vi": "Đã báo cáo", "en": "Reported"},
    "col_late": {"vi": "Trễ", "en": "Late"},
    "col_missing": {"vi": "Chưa báo cáo", "en": "Not reported"},
    "col_median": {"vi": "Trung vị", "en": "Median"},
    "col_range": {"vi": "Thấp nhất – cao nhất", "en": "Lowest – highest"},
    "col_pooled": {"vi": "Tỷ lệ chung", "en": "Pooled rate"},
    "col_at_target": {"vi": "Đạt chỉ tiêu", "en": "At target"},
    "col_track": {"vi": "Khối", "en": "Track"},
    "drivers_title": {"vi": "Các yếu tố liên quan đến tỷ lệ {indicator}", "en": "What goes with low uptake: {indicator}"},
    "effects": {"vi": "Yếu tố nào đi kèm tỷ lệ thấp", "en": "What goes with low uptake"},
    "association_lower": {
        "vi": "Xã có {covariate} cao hơn 10 điểm phần trăm thì tỷ lệ {act} thấp hơn khoảng {size} điểm phần trăm "
              "(khoảng tin cậy 95%: {low} đến {high}).",
        "en": "Communes with 10 percentage points more {covariate} have an uptake about {size} percentage points lower "
              "(95% interval {low} to {high}).",
    },
    "association_higher": {
        "vi": "Xã có {covariate} cao hơn 10 điểm phần trăm thì tỷ lệ {act} cao hơn khoảng {size} điểm phần trăm "
              "(khoảng tin cậy 95%: {low} đến {high}).",
        "en": "Communes with 10 percentage points more {covariate} have an uptake about {size} percentage points higher "
              "(95% interval {low} to {high}).",
    },
    "col_association": {"vi": "Tỷ lệ {act} khác (điểm %)", "en": "Uptake differs by (points)"},
    "effects_weighting": {
        "vi": "Tính bình quân theo {main} (mỗi người như nhau); bình quân theo xã (mỗi xã như nhau) ở cột bên cạnh. "
              "Mô hình chính: hồi quy nhị thức có hiệu chỉnh phân tán (quasi-binomial); kiểm tra độ nhạy: beta-binomial.",
        "en": "Averaged over people (each person counts the same); averaged over communes (each commune the same) beside it. "
              "Main model: quasi-binomial regression; sensitivity check: beta-binomial.",
    },
    "caution": {
        "vi": "Lưu ý: đây là mối liên quan giữa các xã, không phải tác động lên từng người.",
        "en": "Caution: these are associations between communes, not effects on individuals.",
    },
    "col_covariate": {"vi": "Yếu tố (+10 điểm %)", "en": "Factor (+10 points)"},
    "col_effect_people": {"vi": "Theo {main}", "en": "Over people"},
    "col_ci": {"vi": "Khoảng tin cậy 95%", "en": "95% interval"},
    "col_effect_units": {"vi": "Theo xã", "en": "Over communes"},
    "col_effect_bb": {"vi": "Beta-binomial", "en": "Beta-binomial"},
    "col_effect_binomial": {"vi": "Nhị thức thường (quá hẹp)", "en": "Plain binomial (too narrow)"},
    "facility_types": {"vi": "Cơ sở y tế theo loại hình", "en": "Medical facilities by type"},
    "facility_sentence": {"vi": "{type}: {rate} ({diff} so với bệnh viện).", "en": "{type}: {rate} ({diff} against hospitals)."},
    "scenarios": {"vi": "Tỷ lệ dự kiến với đặc điểm dân cư khác", "en": "The rate predicted for other commune profiles"},
    "scenarios_intro": {
        "vi": "Mỗi dòng là tỷ lệ toàn tỉnh mà mô hình dự kiến cho các xã có đặc điểm thay đổi như nêu, trong khoảng đặc điểm "
              "các xã thực có: đây là mối liên hệ giữa các xã, không phải kết quả chắc chắn của một biện pháp.",
        "en": "Each line is the province's rate the model predicts for communes whose profile is changed as stated, "
              "within the range of profiles the communes actually have: an association across communes, not the sure "
              "result of a measure."},
    "scenario_sentence": {"vi": "{scenario}: khoảng {rate} (từ {low} đến {high}).",
                          "en": "{scenario}: about {rate} (from {low} to {high})."},
    "scenario_held": {
        "vi": "{scenario}: khoảng {rate} (từ {low} đến {high}); {held} xã được giữ ở mức biên của số liệu quan sát.",
        "en": "{scenario}: about {rate} (from {low} to {high}); {held} communes held at the edge of the observed range."},
    "scenario_refused": {
        "vi": "{scenario}: không ước tính, vì thay đổi này đưa {held}/{n} xã ra ngoài khoảng số liệu quan sát "
              "({low} – {high}); mô hình không có căn cứ ở vùng đó. Hãy chọn mức thay đổi nhỏ hơn.",
        "en": "{scenario}: not estimated: the change takes {held} of {n} communes outside the observed range "
              "({low} – {high}), where the model has no data. Choose a smaller change."},
    "scenario_all_refused": {
        "vi": "{scenario}: không ước tính, vì một trong các thay đổi nằm ngoài khoảng số liệu quan sát.",
        "en": "{scenario}: not estimated, since one of the changes lies outside the observed range."},
    "gap_section": {"vi": "Hồ sơ dân cư so với các xã thuận lợi nhất", "en": "Commune profiles against the best-placed communes"},
    "gap_sentence": {
        "vi": "Nếu mọi xã có đặc điểm dân cư như nhóm 10% số xã thuận lợi nhất, mô hình dự kiến tỷ lệ toàn tỉnh cao hơn "
              "khoảng {whole} (từ {low} đến {high}); các phần dưới đây cộng lại đúng bằng con số đó. Khoảng cách đến "
              "chỉ tiêu là {gap}; phần còn lại không được các yếu tố trên giải thích (số liệu không đo, chẳng hạn nỗ lực của đơn vị).",
        "en": "Were every commune's profile that of the best-placed tenth of communes, the model predicts a province "
              "rate higher by about {whole} (from {low} to {high}); the parts below add up to exactly that. The gap to "
              "the target is {gap}; the rest is not accounted for by these factors (the data do not measure, for instance, unit effort)."},
    "gap_method": {
        "vi": "Phần của mỗi yếu tố là phần đóng góp trung bình của nó qua mọi thứ tự đưa các yếu tố về mức của nhóm thuận lợi nhất.",
        "en": "Each factor's part is its average contribution over every order of moving the factors to the best-placed level.",
    },
    "diagnostics": {"vi": "Mô hình khớp đến đâu", "en": "How well the model fits"},
    "diagnostics_sentence": {
        "vi": "{n} xã; hệ số phân tán {scale} (các xã khác nhau nhiều hơn nhiễu ngẫu nhiên {scale} lần, khoảng tin cậy đã tính đến); "
              "mô hình giải thích {r2} độ lệch. Các xã mô hình giải thích kém nhất: {worst}.",
        "en": "{n} communes; dispersion {scale} (communes differ {scale} times more than chance, which the intervals allow for); "
              "the model explains {r2} of the deviance. Communes it explains worst: {worst}.",
    },
    "survey": {"vi": "Khảo sát hộ gia đình", "en": "Door-to-door survey"},
    "survey_sentence": {
        "vi": "Khảo sát {people} người: tỷ số chênh (odds ratio) của việc đã {act} theo từng đặc điểm; nhóm dưới {min} người không hiển thị.",
        "en": "Survey of {people} people: odds ratio of having {verbed} by characteristic; groups under {min} people are not shown.",
    },
    "no_drivers_track": {
        "vi": "Chiến dịch này không có khối nào có số liệu đặc điểm dân cư theo đơn vị, nên không ước lượng mô hình.",
        "en": "This campaign has no track with a profile of each unit, so the model is not fitted.",
    },
    "no_outreach_track": {
        "vi": "Chiến dịch này không có khối nào để lập kế hoạch tổ công tác đến từng hộ.",
        "en": "This campaign has no track for a door-to-door teams' plan.",
    },
    "too_few_units": {
        "vi": "Chưa đủ số liệu để ước lượng mô hình: có {have} xã có số liệu, cần ít nhất {need}.",
        "en": "Not enough data to fit the model: {have} communes have data, at least {need} are needed.",
    },
    "projection_title": {"vi": "Dự báo khả năng đạt chỉ tiêu: {indicator}", "en": "Will the target be reached by the deadline? ({indicator})"},
    "projection": {"vi": "Đến hạn chót sẽ đạt bao nhiêu", "en": "Where the rate will stand at the deadline"},
    "projection_sentence": {
        "vi": "{level}, {scenario}: đến {deadline} dự kiến đạt {median} (80%: {p10} – {p90}; 95%: {p025} – {p975}); "
              "xác suất đạt chỉ tiêu {target}: {prob}{date}.",
        "en": "{level}, {scenario}: by {deadline} expected {median} (80%: {p10} – {p90}; 95%: {p025} – {p975}); "
              "probability of reaching the {target} target: {prob}{date}.",
    },
    "reached_on": {"vi": ", ngày đạt (trung vị) {date}", "en": ", median date reached {date}"},
    "projection_method": {
        "vi": "Mô hình rủi ro theo tuần (cloglog) với hiệu ứng từng đợt, giai đoạn khởi động và mức giảm dần "
              "trong đợt, và bão hòa; trần là số đối tượng; {paths} đường mô phỏng cho mỗi đơn vị. Đơn vị chưa báo "
              "cáo mấy tuần gần đây được mô phỏng từ ngày báo cáo cuối của đơn vị đó; số liệu lũy kế bị điều chỉnh "
              "giảm không được tính là tuần không có người mới. Khoảng dự báo được nới rộng theo sai số của chính "
              "mô hình khi dự báo lại các tuần đã qua của chuỗi số liệu này (kiểm định lùi, kiểu conformal); "
              "khả năng dưới 5% hoặc trên 95% chỉ được ghi là 'dưới 5%' / 'trên 95%'.",
        "en": "Weekly hazard model (cloglog) with campaign-phase effects, a slow start and decay within a phase, "
              "and saturation; the ceiling is the eligible count; {paths} simulated paths per unit. A unit that has "
              "not reported lately is simulated from its own last report date; a cumulative count revised down is "
              "not taken as a week with nobody new. The bands are widened by the model's own errors when it "
              "re-forecasts the past weeks of these data (a rolling-origin, conformal-style calibration); chances "
              "below 5% or above 95% are shown only as 'below 5%' / 'above 95%'.",
    },
    "phase_getting_going": {
        "vi": "Đợt hiện tại mới diễn ra {weeks} tuần: chưa thể tách giai đoạn khởi động của một chiến dịch "
              "khỏi sức kéo đầy đủ của nó, nên dự báo có thể cao hơn thực tế; hãy đọc lại sau vài tuần báo cáo nữa.",
        "en": "The current phase has run only {weeks} weeks: a campaign that is still getting going cannot yet be "
              "told from its full pull, so the projection may run high; read it again after a few more weeks of reports.",
    },
    "trend_needs_dates": {
        "vi": "Chưa thể dự báo: cần ít nhất {n} lần báo cáo để ước lượng xu hướng.",
        "en": "No projection yet: a trend needs at least {n} report dates.",
    },
    "scenario_no_campaign": {"vi": "không có đợt cao điểm mới", "en": "no new campaign"},
    "scenario_like_last_campaign": {"vi": "một đợt như đợt vừa qua", "en": "a campaign like the last"},
    "scenario_custom": {"vi": "đợt với cường độ ×{intensity}", "en": "a campaign at ×{intensity} intensity"},
    "pace": {"vi": "Tốc độ cần thiết", "en": "The pace required"},
    "pace_sentence": {
        "vi": "{level}: cần {needed} người mỗi tuần đến hạn chót, so với {recent} người mỗi tuần trong 4 tuần qua.",
        "en": "{level}: {needed} people a week are needed until the deadline, against {recent} a week over the last 4 weeks.",
    },
    "units_reaching": {
        "vi": "Theo kịch bản {scenario}, {n} trên {total} đơn vị có xác suất đạt chỉ tiêu từ 50% trở lên.",
        "en": "Under {scenario}, {n} of {total} units have at least an even chance of reaching their target.",
    },
    "col_level": {"vi": "Cấp", "en": "Level"},
    "col_projected": {"vi": "Dự kiến đến hạn", "en": "Projected at deadline"},
    "col_band80": {"vi": "Khoảng 80%", "en": "80% band"},
    "col_prob": {"vi": "Xác suất đạt", "en": "Chance of target"},
    "col_date_reached": {"vi": "Ngày đạt (trung vị)", "en": "Date reached (median)"},
    "not_by_deadline": {"vi": "không kịp hạn", "en": "not by the deadline"},
    "identifiers_not_read": {
        "vi": "Tệp khảo sát có {n} cột giống thông tin định danh cá nhân (họ tên, số CCCD, số điện thoại): các cột này không được đọc.",
        "en": "The survey file has {n} column(s) that look like personal identifiers (names, ID or phone numbers): they were not read.",
    },
    "outreach_title": {"vi": "Kế hoạch tổ công tác: {indicator}", "en": "Outreach plan: {indicator}"},
    "outreach": {"vi": "Phân bổ tổ công tác đến hạn chót", "en": "Where the teams go until the deadline"},
    "outreach_sentence": {
        "vi": "{teams} tổ trong {weeks} tuần ({budget} lượt tổ-tuần): theo kế hoạch đề xuất, tỷ lệ {main} dự kiến đạt {rate} "
              "(không có chiến dịch: {base}); {units} xã đạt chỉ tiêu; xác suất toàn tỉnh đạt {target}: {prob}.",
        "en": "{teams} teams for {weeks} weeks ({budget} team-weeks): under the proposed plan the {main}' rate is expected at {rate} "
              "(no campaign: {base}); {units} communes reach the target; chance of the province reaching {target}: {prob}.",
    },
    "outreach_compare": {
        "vi": "So với chia đều ({equal}) và ưu tiên xã thấp nhất ({lowest}), kế hoạch đề xuất thêm nhiều người {act} nhất.",
        "en": "Against equal shares ({equal}) and lowest-rate-first ({lowest}), the proposed plan adds the most {acts}.",
    },
    "outreach_method": {
        "vi": "Mỗi tổ-tuần được giao cho xã có mức tăng kỳ vọng lớn nhất; mức tăng giảm dần khi số người chưa {act} giảm. "
              "Năng lực tổ tính theo tỷ lệ người cao tuổi (hỗ trợ đăng ký chậm hơn), mức hưởng ứng theo mô hình các yếu tố.",
        "en": "Each team-week goes to the commune where it is expected to gain the most; gains shrink as fewer people remain. "
              "Team capacity depends on the share of elderly (assisted registration is slower), response on the drivers model.",
    },
    "plan_none": {"vi": "Không có chiến dịch", "en": "No campaign"},
    "plan_optimised": {"vi": "Kế hoạch đề xuất", "en": "Proposed plan"},
    "plan_equal_shares": {"vi": "Chia đều", "en": "Equal shares"},
    "plan_lowest_rate_first": {"vi": "Ưu tiên xã thấp nhất", "en": "Lowest rate first"},
    "plan_equity_floor": {"vi": "Bảo đảm tối thiểu cho xã thấp nhất", "en": "A floor for the lowest communes"},
    "outreach_equity": {
        "vi": "Phương án bảo đảm tối thiểu (một phần tư số tổ-tuần chia đều cho một phần tư số xã có tỷ lệ dự kiến thấp "
              "nhất, phần còn lại theo hiệu quả): tỷ lệ dự kiến {rate}, {units} xã đạt chỉ tiêu, so với {best} của "
              "phương án đề xuất; đổi lại, mọi xã thấp nhất đều có tổ.",
        "en": "The floor option (a quarter of the team-weeks shared equally by the quarter of communes expected lowest, "
              "the rest where they gain most): expected rate {rate}, {units} communes at target, against {best} for "
              "the proposed plan; in exchange every lowest commune gets a team."},
    "outreach_sensitivity": {
        "vi": "Với các giả định khác (tỷ lệ thành công {s_low} – {s_high}, năng lực tổ ±25%, phản hồi như mô hình hoặc "
              "đồng đều giữa các xã), tỷ lệ dự kiến nằm trong khoảng {low} – {high}, và {n_low} – {n_high} xã không có "
              "tổ; các con số trên phụ thuộc vào các giả định này nhiều hơn vào độ bất định của dự báo.",
        "en": "Under other assumptions (success {s_low} – {s_high}, team capacity ±25%, response as modelled or the "
              "same everywhere), the expected rate lies between {low} and {high}, and {n_low} – {n_high} communes get "
              "no team; these figures depend on these assumptions more than on the projection's uncertainty."},
    "outreach_sensitivity_title": {"vi": "Kế hoạch theo các giả định khác", "en": "The plan under other assumptions"},
    "col_response": {"vi": "Phản hồi", "en": "Response"},
    "response_drivers": {"vi": "theo mô hình", "en": "as modelled"},
    "response_flat": {"vi": "đồng đều", "en": "the same everywhere"},
    "col_success": {"vi": "Tỷ lệ thành công", "en": "Success"},
    "col_capacity": {"vi": "Năng lực tổ", "en": "Team capacity"},
    "col_no_team": {"vi": "Xã không có tổ", "en": "Communes without a team"},
    "col_same_communes": {"vi": "Xã có tổ như đề xuất", "en": "Communes with a team as proposed"},
    "visit_assisted": {"vi": "hỗ trợ đăng ký tận nơi", "en": "assisted registration"},
    "visit_standard": {"vi": "hướng dẫn thông thường", "en": "standard guidance"},
    "col_plan": {"vi": "Phương án", "en": "Plan"},
    "col_team_weeks": {"vi": "Tổ-tuần", "en": "Team-weeks"},
    "col_teams_week": {"vi": "Tổ mỗi tuần", "en": "Teams a week"},
    "col_gain": {"vi": "Tăng thêm (khoảng)", "en": "Gain (band)"},
    "col_expected_rate": {"vi": "Tỷ lệ dự kiến", "en": "Expected rate"},
    "col_units_target": {"vi": "Số xã đạt", "en": "Communes at target"},
    "col_visit": {"vi": "Hình thức", "en": "Kind of visit"},
    "col_odds_ratio": {"vi": "Tỷ số chênh", "en": "Odds ratio"},
    "col_scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "col_component": {"vi": "Thành phần", "en": "Component"},
    "col_points": {"vi": "Điểm %", "en": "Points"},
    "col_difference": {"vi": "So với bệnh viện", "en": "Against hospitals"},
    "col_units": {"vi": "Đơn vị báo cáo", "en": "Units reporting"},
    "col_eligible": {"vi": "Số đối tượng", "en": "Eligible"},
    "col_supported": {"vi": "Đã hỗ trợ {act}", "en": "Supported"},
    "col_rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "col_target": {"vi": "Chỉ tiêu", "en": "Target"},
    "col_achievement": {"vi": "% kế hoạch", "en": "% of target"},
    "col_gap": {"vi": "Còn thiếu", "en": "Still needed"},
    "col_cf_rate": {"vi": "Tỷ lệ (kể cả số liệu cũ)", "en": "Rate (last report carried)"},
    "col_previous": {"vi": "Giai đoạn trước", "en": "Previous phase"},
    "col_change": {"vi": "Thay đổi", "en": "Change"},
    "col_change_points": {"vi": "Thay đổi (điểm %)", "en": "Change (pts)"},
    "points": {"vi": "điểm %", "en": "pts"},
    "no_data": {"vi": "không có số liệu", "en": "no data"},
    "footer_synthetic_drawn": {
        "vi": "Dữ liệu mô phỏng: mọi số liệu được tạo ngẫu nhiên để minh họa, không dựa trên số liệu đã công bố; "
              "không phải là số liệu thật.",
        "en": "Synthetic data: every figure is drawn at random for illustration, calibrated to nothing published; "
              "none is real.",
    },
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
    "method": {"vi": "Phương pháp", "en": "Method"},
    "outreach_no_team": {
        "vi": "{n} xã không được bố trí tổ: ở đó một tổ-tuần dự kiến giúp được ít người hơn ở các xã được chọn "
              "(ít người chưa {act}, hoặc nhiều người cao tuổi và lao động đi làm xa).",
        "en": "{n} communes get no team: there a team-week is expected to help fewer people than in the chosen ones "
              "(few people left to {verb}, or many elderly residents and workers away).",
    },
    "summary_title": {"vi": "Kết luận chính", "en": "Conclusions"},
    "appendix_title": {"vi": "Phụ lục: phương pháp, mô hình, tệp đã đọc và tham số",
                       "en": "Appendix: method, model, files read and parameters"},
    "brief_title": {"vi": "Tóm tắt cho lãnh đạo: {indicator}", "en": "Brief for leadership: {indicator}"},
    "brief_subtitle": {"vi": "{province} · số liệu đến ngày {as_of} · chỉ tiêu {target} đến ngày {deadline}",
                       "en": "{province} · data as of {as_of} · target {target} by {deadline}"},
    "brief_target": {"vi": "Chỉ tiêu {target}", "en": "Target {target}"},
    "brief_change": {"vi": "Cả giai đoạn: {change}", "en": "Over the phase: {change}"},
    "brief_reported": {"vi": "{reported}/{expected} đơn vị báo cáo", "en": "{reported} of {expected} units reported"},
    "brief_verdict_no": {"vi": "{track}: với tốc độ hiện nay, chỉ tiêu {target} sẽ không đạt được đến ngày {deadline}.",
                         "en": "{track}: at the present pace, the {target} target will not be reached by {deadline}."},
    "brief_verdict_yes": {"vi": "{track}: với tốc độ hiện nay, chỉ tiêu {target} sẽ đạt được đến ngày {deadline}.",
                          "en": "{track}: at the present pace, the {target} target will be reached by {deadline}."},
    "brief_scenario": {"vi": "{scenario}: dự kiến {rate} (khoảng dự báo 80%: {low} – {high}; khả năng đạt: {chance})",
                       "en": "{scenario}: {rate} expected (80% band {low} – {high}; chance of reaching it: {chance})"},
    "brief_no_projection": {"vi": "Chưa đủ số liệu để dự báo đến hạn chót.",
                            "en": "There are not yet enough report dates for a projection to the deadline."},
    "brief_pace": {"vi": "{track}: cần {needed} {unit} mỗi tuần để đạt chỉ tiêu; 4 tuần gần nhất: {recent} {unit} mỗi tuần.",
                   "en": "{track}: {needed} {unit} a week are needed to reach the target; the last 4 weeks: {recent} a week."},
    "brief_people": {"vi": "người", "en": "people"},
    "brief_visits": {"vi": "lượt khám", "en": "patient visits"},
    "brief_central": {"vi": "{track}: đơn vị báo cáo đã hỗ trợ {supported} {unit}, hệ thống trung ương mới ghi nhận "
                              "{central} ({share}).",
                      "en": "{track}: units report {supported} {unit} supported; the central system has recorded "
                            "{central} ({share})."},
    "brief_actions": {"vi": "Việc cần làm", "en": "What to do"},
    "brief_action_behind": {"vi": "{track}: đôn đốc {n} đơn vị chưa theo kịp tiến độ cần để đạt chỉ tiêu; xa nhất: {names}.",
                            "en": "{track}: follow up the {n} units not keeping the pace the target needs; furthest "
                                  "behind: {names}."},
    "brief_action_reporting": {"vi": "Yêu cầu {n} đơn vị chưa báo cáo gửi số liệu: {names}.",
                               "en": "Ask the {n} units that have not reported to send their figures: {names}."},
    "brief_action_central": {"vi": "Đối chiếu số đã hỗ trợ với số hệ thống trung ương ghi nhận, cùng Công an tỉnh.",
                             "en": "Reconcile the supported counts with the central record, with the provincial police."},
    "brief_action_outreach": {"vi": "Bố trí tổ công tác đến {n} xã theo kế hoạch, trước hết {names}.",
                              "en": "Send the door-to-door teams to the plan's {n} communes, first {names}."},
    "brief_reports": {"vi": "Báo cáo chi tiết", "en": "Detailed reports"},
    "brief_tables": {"vi": "Bảng số liệu (CSV, mở bằng Excel)", "en": "Tables (CSV, open in Excel)"},
    "brief_back": {"vi": "← Tóm tắt", "en": "← Brief"},
    "chance_below": {"vi": "dưới {p}", "en": "below {p}"},
    "chance_above": {"vi": "trên {p}", "en": "above {p}"},
    "csv_headline": {"vi": "kết quả chính từng khối", "en": "the headline per track"},
    "csv_league_table": {"vi": "từng đơn vị: tỷ lệ, % kế hoạch, xếp hạng", "en": "every unit: rate, achievement, rank"},
    "csv_projection": {"vi": "dự báo đến hạn chót, từng đơn vị và kịch bản", "en": "the projection to the deadline, per unit and scenario"},
    "csv_action_list": {"vi": "đơn vị cần đôn đốc, tốc độ cần so với hiện tại", "en": "units needing action, pace needed vs now"},
    "csv_non_reporters": {"vi": "đơn vị chưa báo cáo", "en": "units that have not reported"},
    "csv_funnel": {"vi": "từ số hỗ trợ đến số hệ thống ghi nhận", "en": "from supported to centrally recorded"},
    "csv_outreach_plan": {"vi": "phân bổ tổ công tác theo xã", "en": "door-to-door teams per commune"},
    "csv_drivers_effects": {"vi": "các yếu tố đi kèm tỷ lệ thấp", "en": "what goes with low uptake"},
    "csv_data_quality": {"vi": "các vấn đề chất lượng số liệu", "en": "data-quality findings"},
    "archive_title": {"vi": "Các kỳ báo cáo đã lập", "en": "Reporting periods rendered"},
    "archive_text": {"vi": "{n} kỳ báo cáo, mới nhất trước; mỗi kỳ so với kỳ liền trước trong danh sách.",
                     "en": "{n} periods, the latest first; each compared with the period before it in the list."},
    "col_period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "col_change_period": {"vi": "Thay đổi so với kỳ trước", "en": "Change since the previous period"},
    "col_file": {"vi": "Tệp", "en": "File"},
    "col_date": {"vi": "Ngày", "en": "Date"},
    "col_rows": {"vi": "Số dòng", "en": "Rows"},
    "national_title": {"vi": "So sánh các tỉnh, thành phố: {indicator}", "en": "Provinces compared: {indicator}"},
    "national_subtitle": {"vi": "{n} tỉnh, thành phố · số liệu đến ngày {as_of} · chỉ tiêu {target} đến ngày {deadline}",
                          "en": "{n} provinces · data as of {as_of} · target {target} by {deadline}"},
    "national_ranking": {"vi": "Xếp hạng theo hệ thống trung ương (C06)", "en": "Ranking by the central system (C06)"},
    "national_lead": {
        "vi": "Ngày {date}, {top} dẫn đầu với {top_rate}; {bottom} đứng cuối với {bottom_rate}. "
              "{above} trên {n} tỉnh, thành phố đạt từ {target} trở lên.",
        "en": "On {date}, {top} leads at {top_rate}; {bottom} is last at {bottom_rate}. "
              "{above} of {n} provinces are at {target} or above.",
    },
    "national_movers": {
        "vi": "Từ đầu giai đoạn, {up} tăng hạng nhiều nhất ({k_up} bậc), {down} giảm hạng nhiều nhất ({k_down} bậc).",
        "en": "Since the phase began, {up} climbed most ({k_up} places), {down} fell most ({k_down} places).",
    },
    "national_with_data": {
        "vi": "Có báo cáo của đơn vị và dự báo cho {k} trên {n} tỉnh, thành phố; các tỉnh khác để trống, không phải bằng 0.",
        "en": "Unit reports and projections exist for {k} of {n} provinces; the others are left blank, not zero.",
    },
    "national_projection": {
        "vi": "Nếu không có chiến dịch mới, {k} tỉnh, thành phố có khả năng từ 50% trở lên đạt chỉ tiêu {target} "
              "({main}) trước {deadline}; nếu có chiến dịch như giai đoạn trước: {k2}.",
        "en": "Provinces with a 50% or better chance of reaching {target} ({main}) by {deadline}: {k} with no "
              "new campaign; {k2} with a campaign like the last.",
    },
    "national_back": {"vi": "← So sánh các tỉnh, thành phố", "en": "← All provinces compared"},
    "national_reports": {"vi": "Báo cáo từng tỉnh, thành phố", "en": "Each province's reports"},
    "national_method": {
        "vi": "Tỷ lệ và thứ hạng C06 lấy từ bảng của hệ thống trung ương (provinces.csv). Tỷ lệ {main}, "
              "thay đổi so với cùng thời điểm giai đoạn trước và dự báo lấy từ báo cáo của từng tỉnh.",
        "en": "C06 rates and ranks come from the central system's table (provinces.csv). The {main}' rate, "
              "its change since the same point of the previous phase and the projection come from each "
              "province's own reports.",
    },
    "col_province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "col_central_rate": {"vi": "Tỷ lệ C06", "en": "C06 rate"},
    "col_central_change": {"vi": "Thay đổi C06 trong giai đoạn", "en": "C06 change this phase"},
    "col_rank_change": {"vi": "Thay đổi hạng", "en": "Rank change"},
    "col_residents_rate": {"vi": "{Main} đã hỗ trợ (báo cáo)", "en": "{Main} supported (reported)"},
    "col_residents_change": {"vi": "Thay đổi so với cùng kỳ giai đoạn trước", "en": "Change vs. the same point of the last phase"},
    "col_prob_none": {"vi": "Khả năng đạt, không chiến dịch", "en": "Chance, no campaign"},
    "col_median_none": {"vi": "Dự báo đến hạn, không chiến dịch", "en": "Projected by deadline, no campaign"},
    "col_prob_campaign": {"vi": "Khả năng đạt, có chiến dịch", "en": "Chance, with a campaign"},
    "word_file": {"vi": "bao-cao-{period}.docx", "en": "report-{period}.docx"},
    "word_link": {"vi": "Dự thảo báo cáo bằng văn bản (Word)", "en": "Draft written report (Word)"},
    "word_draft": {"vi": "DỰ THẢO lập tự động từ số liệu đến ngày {as_of}: chuyên viên rà soát, chỉnh sửa và xóa dòng "
                         "này trước khi trình ký.",
                   "en": "DRAFT generated from the data as of {as_of}: the analyst reviews and edits it, and deletes this "
                         "line before it goes for signature."},
    "division_province": {"vi": "tỉnh", "en": "Province"},
    "division_city": {"vi": "thành phố", "en": "City"},
    "word_committee": {"vi": "UBND {division} {name}", "en": "People's Committee of {name} {division}"},
    "word_department": {"vi": "{department}", "en": "{department}"},
    "word_nation": {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIET NAM"},
    "word_motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "word_symbol": {"vi": "BC-SYT", "en": "BC-SYT"},
    "word_number": {"vi": "Số:      /{symbol}", "en": "No.:      /{symbol}"},
    "word_place_date": {"vi": "{place}, ngày {day} tháng {month} năm {year}", "en": "{place}, {day} {month_name} {year}"},
    "word_kind": {"vi": "BÁO CÁO", "en": "REPORT"},
    "word_subject": {"vi": "Kết quả {indicator} (số liệu đến ngày {as_of})",
                     "en": "Results of the {indicator} (data as of {as_of})"},
    "word_intro": {"vi": "{department} báo cáo kết quả {indicator} tính đến ngày {as_of} như sau:",
                   "en": "The {department} reports the results of the {indicator} as of {as_of} as follows:"},
    "word_part_results": {"vi": "I. KẾT QUẢ THỰC HIỆN", "en": "I. RESULTS"},
    "word_part_units": {"vi": "II. ĐƠN VỊ THỰC HIỆN TỐT VÀ ĐƠN VỊ CÒN CHẬM", "en": "II. UNITS AHEAD AND UNITS BEHIND"},
    "word_part_shortcomings": {"vi": "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "en": "III. SHORTCOMINGS AND THEIR CAUSES"},
    "word_part_outlook": {"vi": "IV. DỰ BÁO ĐẾN HẠN CHÓT", "en": "IV. OUTLOOK TO THE DEADLINE"},
    "word_part_tasks": {"vi": "V. NHIỆM VỤ, GIẢI PHÁP ĐỀ XUẤT", "en": "V. PROPOSED TASKS"},
    "word_figure": {"vi": "Biểu đồ {n}. {title}", "en": "Figure {n}. {title}"},
    "word_central_total": {"vi": "Hệ thống trung ương đã ghi nhận {central} trường hợp {act} thành công (số liệu ngày {date}).",
                           "en": "The central system has recorded {central} successful {acts} (as of {date})."},
    "word_more": {"vi": " và {n} đơn vị khác", "en": " and {n} more"},
    "word_ahead": {"vi": "{track}: {n} đơn vị đạt từ {amber} kế hoạch trở lên, trong đó {at} đơn vị đạt và vượt chỉ tiêu; "
                         "cao nhất: {names}.",
                   "en": "{track}: {n} units at {amber} of target or more, {at} of them at or above the target; "
                         "the best: {names}."},
    "word_behind": {"vi": "{track}: {n} đơn vị thấp xa chỉ tiêu hoặc chậm tiến độ; thiếu nhiều nhất: {names}.",
                    "en": "{track}: {n} units far below the target or behind pace; the largest gaps: {names}."},
    "word_behind_unit": {"vi": "{name} ({achievement} kế hoạch, còn thiếu {gap} {unit}, cần {needed} mỗi tuần, "
                               "4 tuần gần nhất {recent} mỗi tuần)",
                         "en": "{name} ({achievement} of target, {gap} {unit} short, {needed} a week needed, "
                               "{recent} a week over the last 4 weeks)"},
    "word_behind_table": {"vi": "{n} đơn vị còn thiếu nhiều nhất:", "en": "The {n} units with the largest gaps:"},
    "word_missing": {"vi": "{track}: {n} đơn vị chưa báo cáo số liệu: {names}.",
                     "en": "{track}: units that have not reported ({n}): {names}."},
    "word_last": {"vi": "lần cuối {date}", "en": "last on {date}"},
    "word_central_cause": {
        "vi": "Số được hệ thống trung ương ghi nhận thấp hơn nhiều so với số đã hỗ trợ. Theo nhận định của Sở, {cause}; "
              "số liệu cho thấy khoảng cách này nhưng không tự chỉ ra nguyên nhân, và tỉnh chưa có số liệu trung ương "
              "theo từng đơn vị.",
        "en": "Far fewer {acts} are recorded centrally than were supported. The department names {cause}; the data "
              "show the gap but cannot by themselves tell its cause, and the province has no central figures per unit."},
    "word_central_gap": {  # the campaign names no cause
        "vi": "Số được hệ thống trung ương ghi nhận thấp hơn số đã hỗ trợ; số liệu cho thấy khoảng cách này nhưng không "
              "tự chỉ ra nguyên nhân, và tỉnh chưa có số liệu trung ương theo từng đơn vị.",
        "en": "Fewer {acts} are recorded centrally than were supported; the data show the gap but cannot by themselves "
              "tell its cause, and the province has no central figures per unit."},
    "word_facility_type": {"vi": "{type} {rate} ({diff} so với bệnh viện)", "en": "{type} {rate} ({diff} against hospitals)"},
    "word_facility_types": {"vi": "Một số loại hình cơ sở khám, chữa bệnh có tỷ lệ thấp rõ rệt: {types}.",
                            "en": "Some kinds of medical facility have clearly lower rates: {types}."},
    "word_outreach": {"vi": "Triển khai kế hoạch tổ công tác đến từng hộ ({team_weeks} tổ-tuần): tỷ lệ {main} dự kiến đạt "
                            "{rate} đến hạn chót (không có chiến dịch: {base}), {units} xã đạt chỉ tiêu.",
                      "en": "Carry out the door-to-door teams' plan ({team_weeks} team-weeks): the {main}' rate is "
                            "expected at {rate} by the deadline (no campaign: {base}), with {units} communes at target."},
    "word_closing": {"vi": "Trên đây là báo cáo kết quả {indicator} của {department}./.",
                     "en": "This is the {department}'s report on the {indicator}."},
    "word_recipients": {"vi": "Nơi nhận:", "en": "Recipients:"},
    "word_recipient_list": {"vi": "{recipients}", "en": "{recipients}"},  # with {division}: word.py fills it
    "word_signer": {"vi": "GIÁM ĐỐC", "en": "DIRECTOR"},
}

NOTEBOOK_TITLES = {  # notebook file stem -> key of its report title in TEXT
    "01_phase_results": "report_title",
    "02_uptake_drivers": "drivers_title",
    "03_target_projection": "projection_title",
    "04_outreach_plan": "outreach_title",
}

COVARIATE_NAMES = {
    "share_60plus": {"vi": "tỷ lệ người từ 60 tuổi", "en": "share aged 60+"},
    "smartphone_rate": {"vi": "tỷ lệ có điện thoại thông minh", "en": "smartphone ownership"},
    "absent_share": {"vi": "tỷ lệ lao động đi làm xa", "en": "share working away"},
    "level2_rate": {"vi": "tỷ lệ định danh mức 2", "en": "level-2 accounts"},
    "age_60plus": {"vi": "từ 60 tuổi", "en": "aged 60+"},
    "has_smartphone": {"vi": "có điện thoại thông minh", "en": "has a smartphone"},
    "works_away": {"vi": "đi làm xa", "en": "works away"},
    "level2": {"vi": "tài khoản định danh mức 2", "en": "level-2 account"},
    "smartphone_gain": {"vi": "thêm điện thoại thông minh", "en": "more smartphones"},
    "all": {"vi": "cả ba biện pháp", "en": "all three measures"},
    "today": {"vi": "hiện nay", "en": "today"},
    "gap": {"vi": "khoảng cách đến chỉ tiêu", "en": "gap to the target"},
    "unexplained": {"vi": "chưa giải thích được", "en": "not explained"},
}

SCENARIO_NAMES = {
    "today": {"vi": "Hiện nay", "en": "Today"},
    "smartphone_rate": {"vi": "Tỷ lệ có điện thoại thông minh cao hơn {gain}", "en": "Smartphone ownership {gain} higher"},
    "share_60plus": {"vi": "Số người cao tuổi còn gặp khó khăn giảm {elderly}",
                     "en": "{elderly} fewer elderly people facing difficulty"},
    "absent_share": {"vi": "Số lao động đi làm xa chưa {act} được giảm {remote}",
                     "en": "{remote} fewer absent workers left out"},
    "all": {"vi": "Cả ba thay đổi", "en": "All three changes"},
}


MONTH_NAMES = {"vi": tuple(f"tháng {m}" for m in range(1, 13)),
               "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December")}


def month_name(month: int, lang: str) -> str:
    """The name of a month (1-12) in ``lang``, whatever the machine's locale."""
    return MONTH_NAMES.get(lang, MONTH_NAMES["vi"])[month - 1]


def _pick(entry: dict, lang: str) -> str:
    return entry.get(lang) or entry["vi"]


def campaign_words(lang: str) -> dict:
    """The campaign's words that texts use as placeholders: ``indicator`` (its name), ``done`` (what the
    people counted have done), ``act``/``Act``/``acts`` (the act as a noun), ``verb`` and ``verbed`` (the
    English verb), ``main``/``Main`` (the people of the campaign's main track: its central track)."""
    campaign = active()
    words = {key: campaign.words[f"{key}_{lang}"] for key in ("act", "Act", "acts", "verb", "verbed", "main", "Main")}
    cause = campaign.words[f"central_cause_{lang}"]
    note = f" {_pick(TEXT['funnel_cause'], lang).format(cause=cause)}" if cause else ""
    return {"indicator": campaign.name[lang], "done": campaign.done[lang], **words, "central_note": note, "cause": cause,
            "department": campaign.words[f"department_{lang}"], "recipients": campaign.words[f"recipients_{lang}"]}


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # a placeholder filled later by the caller (e.g. {level})
        return "{" + key + "}"


def label(key: str, lang: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled (the campaign's words included)."""
    return _pick(TEXT[key], lang).format(**{**campaign_words(lang), **values})


COUNTED = {"people": "brief_people", "visits": "brief_visits", "staff": "brief_people"}


def counted_as(track: str, lang: str) -> str:
    """What a track's numbers count, for the reader: people (residents, staff) or patient visits."""
    found = active().track(track)
    return label(COUNTED[found.counts] if found else "brief_people", lang)


_PHASE_NUMBER = re.compile(r"^(?:giai doan|dot)\s*(\d+)$")


def phase_name(name: object, lang: str) -> str:
    """A phase's name from phases.csv for the reader: 'Giai đoạn 2' / 'Đợt 2' is 'Phase 2' in English;
    any other name is shown as the department wrote it."""
    found = _PHASE_NUMBER.match(normalise_text(name))
    return f"Phase {found.group(1)}" if lang == "en" and found else str(name)


def track_name(track: str, lang: str) -> str:
    """The reader's name of a track, as the campaign names it."""
    found = active().track(track)
    return _pick(found.name, lang) if found else str(track)


def unit_type_name(unit_type: str, lang: str) -> str:
    """The reader's name of a unit type."""
    return _pick(UNIT_TYPES[unit_type], lang) if unit_type in UNIT_TYPES else str(unit_type)

CHART = {
    "monitoring_title": {"vi": "Tiến độ tích lũy so với đường chỉ tiêu", "en": "Cumulative progress against the target line"},
    "central_line": {"vi": "Toàn tỉnh theo hệ thống C06", "en": "Province, national system (C06)"},
    "target_line": {"vi": "Đường chỉ tiêu", "en": "Target line"},
    "deadline": {"vi": "Hạn chót", "en": "Deadline"},
    "target": {"vi": "Chỉ tiêu", "en": "Target"},
    "rate_axis": {"vi": "Tỷ lệ đã hỗ trợ {act}", "en": "Share supported to {verb}"},
    "date_axis": {"vi": "Ngày báo cáo", "en": "Report date"},
    "unit_types_title": {"vi": "Tỷ lệ theo loại đơn vị (mỗi chấm là một đơn vị)",
                         "en": "Rates by unit type (each dot is a unit)"},
    "province": {"vi": "Toàn tỉnh (người dân và cơ sở y tế)", "en": "Province (residents and facilities)"},
    "supported": {"vi": "Đã hỗ trợ (đơn vị báo cáo)", "en": "Supported (reported by units)"},
    "recorded_central": {"vi": "Hệ thống trung ương ghi nhận", "en": "Recorded by the central system"},
    "people_axis": {"vi": "Số người", "en": "People"},
    "people_or_visits_axis": {"vi": "Số người (người dân) hoặc số lượt (cơ sở khám, chữa bệnh)",
                              "en": "People (residents) or visits (facilities)"},
    "funnel_title": {"vi": "Từ hỗ trợ đến ghi nhận trên hệ thống trung ương", "en": "From supported to recorded centrally"},
    "no_central_per_unit": {"vi": "Không có số liệu trung ương theo từng đơn vị", "en": "No central figures per unit"},
    "q_on_track": {"vi": "Tốt cả hai", "en": "Both good"},
    "q_data_exchange": {"vi": "Nghẽn đồng bộ dữ liệu", "en": "Data-exchange bottleneck"},
    "q_outreach": {"vi": "Cần đẩy mạnh hỗ trợ", "en": "Needs more outreach"},
    "q_both": {"vi": "Yếu cả hai", "en": "Weak on both"},
    "achievement_axis": {"vi": "% kế hoạch (đã hỗ trợ / chỉ tiêu)", "en": "% of target (supported / target)"},
    "conversion_axis": {"vi": "Tỷ lệ được hệ thống ghi nhận", "en": "Share recorded centrally"},
    "quadrant_title": {"vi": "Hỗ trợ và ghi nhận trung ương theo đơn vị", "en": "Support and central recording by unit"},
    "completeness_axis": {"vi": "Tỷ lệ đơn vị báo cáo", "en": "Units reporting"},
    "completeness_title": {"vi": "Tính đầy đủ của báo cáo", "en": "Reporting completeness"},
    "effects_title": {"vi": "Thay đổi tỷ lệ khi thêm 10 điểm % (khoảng tin cậy 95%)",
                      "en": "Change in uptake for 10 more points (95% intervals)"},
    "effect_axis": {"vi": "Điểm % tỷ lệ {act}", "en": "Points of uptake"},
    "scenarios_title": {"vi": "Tỷ lệ {main} theo kịch bản", "en": "{Main}' rate by scenario"},
    "gap_title": {"vi": "Chênh lệch so với các xã thuận lợi nhất, theo yếu tố",
                  "en": "Below the best-placed communes, by factor"},
    "residuals_title": {"vi": "Phần dư theo xã (đã chuẩn hóa)", "en": "Residuals by commune (standardised)"},
    "fitted_axis": {"vi": "Tỷ lệ mô hình dự đoán", "en": "Rate predicted by the model"},
    "residual_axis": {"vi": "Phần dư", "en": "Residual"},
    "quasi": {"vi": "Quasi-binomial", "en": "Quasi-binomial"},
    "beta_binomial": {"vi": "Beta-binomial", "en": "Beta-binomial"},
    "binomial": {"vi": "Nhị thức thường", "en": "Plain binomial"},
    "fan_title": {"vi": "{level}: thực tế và dự báo", "en": "{level}: observed and projected"},
    "observed": {"vi": "Thực tế", "en": "Observed"},
    "outreach_chart": {"vi": "Tổ-tuần theo xã và số người {act} thêm", "en": "Team-weeks per commune and what they buy"},
    "team_weeks_axis": {"vi": "Tổ-tuần", "en": "Team-weeks"},
    "rank_axis": {"vi": "Thứ hạng (1 = cao nhất)", "en": "Rank (1 = highest)"},
    "rank_title": {"vi": "Thứ hạng của {province} theo C06", "en": "{province}'s rank by C06"},
    "ranking_title": {"vi": "Tỷ lệ {act} các tỉnh, thành phố (C06)", "en": "{Act} rate by province (C06)"},
    "national_chart": {"vi": "Tỷ lệ C06 và tỷ lệ {main} theo báo cáo, từng tỉnh, thành phố",
                       "en": "C06 rate and {main}' reported rate, by province"},
    "reported_residents": {"vi": "{Main} đã hỗ trợ (báo cáo của tỉnh)", "en": "{Main} supported (province's reports)"},
    "central_rate": {"vi": "Tỷ lệ C06", "en": "C06 rate"},
    "required_path": {"vi": "Đường cần đạt để về đích đúng hạn", "en": "Path required to reach the target by the deadline"},
    "no_campaign_median": {"vi": "Dự báo nếu không có đợt cao điểm mới (trung vị)",
                           "en": "Projection without a new campaign (median)"},
    "no_campaign_band": {"vi": "Khoảng dự báo 80%", "en": "80% projection band"},
    "benchmark_line": {"vi": "Tổng chênh lệch:", "en": "Whole difference:"},
}


def chart_label(key: str, lang: str) -> str:
    """The text of a chart's title, axis or legend entry (the campaign's words filled; other placeholders kept)."""
    return _pick(CHART[key], lang).format_map(_Keep(campaign_words(lang)))


def covariate_name(key: str, lang: str) -> str:
    """The reader's name of a covariate (or a scenario component)."""
    return _pick(COVARIATE_NAMES[key], lang) if key in COVARIATE_NAMES else key


def scenario_name(key: str, lang: str, **values: object) -> str:
    """The reader's name of a scenario, with its amounts."""
    return _pick(SCENARIO_NAMES[key], lang).format(**{**campaign_words(lang), **values}) if key in SCENARIO_NAMES else key
