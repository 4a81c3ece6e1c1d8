"""News texts of the demo data (``news.demo``): categories, tags and the
sentence pools items are composed from, so fifty items read differently
while staying plausible for the unit that "wrote" them.

Everything here is invented for the demo: the people, numbers and events
are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from humas_portal.core.models import UnitKind

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("Layanan KUA", "layanan-kua", "Pencatatan nikah, bimbingan perkawinan, wakaf dan layanan KUA lainnya."),
    ("Pendidikan Madrasah", "pendidikan-madrasah", "Kegiatan dan prestasi madrasah negeri dan swasta."),
    ("Haji dan Umrah", "haji-umrah", "Bimbingan manasik dan layanan jemaah haji dan umrah."),
    ("Kepenyuluhan", "kepenyuluhan", "Kegiatan penyuluh agama di tengah masyarakat."),
    ("Kerukunan Umat", "kerukunan-umat", "Dialog lintas iman dan kegiatan bersama umat beragama."),
    ("Jaminan Produk Halal", "produk-halal", "Pendampingan dan sertifikasi halal bagi pelaku usaha."),
    ("Tata Kelola", "tata-kelola", "Reformasi birokrasi, zona integritas dan pelayanan publik."),
)

TAGS: tuple[str, ...] = (
    "moderasi beragama",
    "bimbingan perkawinan",
    "manasik haji",
    "sertifikasi halal",
    "madrasah hebat",
    "prestasi",
    "penyuluh agama",
    "majelis taklim",
    "wakaf",
    "kerukunan",
    "zona integritas",
    "PTSP",
    "literasi",
    "supervisi",
    "keluarga sakinah",
)

REPORTERS = (
    "Nur Aini",
    "Fathur Rohman",
    "Lailatul Fitriyah",
    "Moh. Arifin",
    "Ni Kadek Sri Wahyuni",
    "Yusuf Efendi",
    "Siti Maryam",
    "Dimas Prasetyo",
)
EDITORS = ("Ika Puspitasari", "Ahmad Syaifuddin", "I Made Suarta")


@dataclass(frozen=True)
class Topic:
    """One kind of activity and the sentences a report on it is made from.

    Placeholders: {unit} full unit name, {short} short name, {place}
    dateline, {head} the head's title, {name} the head's name, {day} the
    weekday and date, {n} a number of participants.
    """

    program: str
    category: str
    tags: tuple[str, ...]
    kinds: frozenset[str]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    quotes: tuple[str, ...]
    closings: tuple[str, ...] = field(default=())
    participants: tuple[int, int] = (20, 80)
    # Narrow a topic to some units when the kind alone says too little
    # (a Hindu counsellor's report is not written by the Islamic one).
    only_units: tuple[str, ...] = ()
    skip_units: tuple[str, ...] = ()


_KUA = frozenset({UnitKind.KUA})
_OFFICE = frozenset({UnitKind.KANKEMENAG, UnitKind.KANWIL})
_MADRASAH = frozenset({UnitKind.MIN, UnitKind.MTSN, UnitKind.MAN, UnitKind.MADRASAH_SWASTA})
_PENYULUH = frozenset({UnitKind.PENYULUH})

TOPICS: tuple[Topic, ...] = (
    Topic(
        program="layanan-keagamaan",
        category="layanan-kua",
        tags=("bimbingan perkawinan", "keluarga sakinah"),
        kinds=_KUA,
        titles=(
            "{short} Gelar Bimbingan Perkawinan bagi {n} Pasangan Calon Pengantin",
            "Bekali Calon Pengantin, {short} Adakan Bimwin Dua Hari",
            "Calon Pengantin di {place} Ikuti Bimbingan Perkawinan Bersama Penyuluh",
        ),
        leads=(
            "Sebanyak {n} pasangan calon pengantin mengikuti bimbingan perkawinan yang diselenggarakan "
            "{unit} pada {day}.",
            "{unit} membekali {n} pasangan calon pengantin dengan materi keluarga sakinah, kesehatan "
            "reproduksi dan pengelolaan keuangan rumah tangga.",
        ),
        details=(
            "Materi disampaikan oleh penghulu, penyuluh agama dan petugas puskesmas kecamatan. Peserta "
            "diajak berdiskusi tentang komunikasi suami istri, pembagian peran dan cara menyelesaikan "
            "perselisihan dengan kepala dingin.",
            "Sesi kesehatan reproduksi membahas pencegahan stunting sejak masa kehamilan, pentingnya "
            "pemeriksaan kesehatan sebelum menikah, serta gizi seimbang bagi ibu dan anak.",
            "Selain ceramah, peserta mengikuti simulasi menyusun anggaran rumah tangga sederhana dan "
            "berbagi pengalaman dengan pasangan yang telah lebih dahulu menikah.",
            "Setiap pasangan yang menyelesaikan bimbingan menerima sertifikat yang menjadi salah satu "
            "kelengkapan layanan pencatatan nikah di KUA.",
        ),
        quotes=(
            "“Menikah bukan hanya soal akad. Kami ingin setiap pasangan berangkat dengan bekal yang cukup "
            "agar keluarga yang dibangun kokoh dan bahagia,” ujar {name}, {head}.",
            "{head}, {name}, berharap bimbingan ini ikut menekan angka perceraian dan perkawinan usia "
            "anak di wilayahnya.",
        ),
        closings=(
            "Kegiatan ditutup dengan doa bersama dan pembagian buku saku keluarga sakinah.",
            "KUA membuka layanan konsultasi keluarga setiap hari kerja bagi pasangan yang membutuhkan "
            "pendampingan lanjutan.",
        ),
    ),
    Topic(
        program="haji-umrah",
        category="haji-umrah",
        tags=("manasik haji",),
        kinds=_KUA | _OFFICE,
        participants=(120, 350),
        titles=(
            "Ratusan Calon Jemaah Haji Ikuti Manasik di {place}",
            "{short} Gelar Bimbingan Manasik Haji bagi Calon Jemaah",
            "Manasik Haji {short}: Calon Jemaah Praktikkan Tawaf dan Sai",
        ),
        leads=(
            "Sebanyak {n} calon jemaah haji mengikuti bimbingan manasik yang diselenggarakan {unit} pada {day}.",
            "Menjelang keberangkatan, calon jemaah haji di {place} mendapat bimbingan manasik dari "
            "{unit} agar siap secara ibadah, fisik dan mental.",
        ),
        details=(
            "Peserta mempraktikkan rangkaian ibadah mulai dari ihram, tawaf, sai hingga lempar jumrah "
            "menggunakan replika Ka'bah di halaman masjid.",
            "Petugas kesehatan mengingatkan jemaah lanjut usia untuk rutin berlatih jalan kaki, "
            "menjaga asupan cairan dan membawa obat pribadi yang cukup.",
            "Pembimbing juga menjelaskan penggunaan gelang identitas, aplikasi layanan jemaah dan "
            "tata cara melapor bila terpisah dari rombongan.",
            "Materi manasik disusun mengikuti buku bimbingan resmi sehingga seluruh jemaah menerima "
            "penjelasan yang sama di setiap kecamatan.",
        ),
        quotes=(
            "“Haji adalah ibadah fisik. Kami minta jemaah menjaga kesehatan sejak sekarang dan tidak "
            "segan bertanya kepada pembimbing,” kata {name}, {head}.",
            "Menurut {name}, {head}, manasik yang baik membuat jemaah lebih tenang dan mandiri selama "
            "berada di Tanah Suci.",
        ),
        closings=(
            "Bimbingan manasik berikutnya dijadwalkan di tingkat kabupaten bersama seluruh kelompok bimbingan.",
            "Calon jemaah yang berhalangan hadir dapat mengikuti sesi susulan di kantor KUA.",
        ),
    ),
    Topic(
        program="produk-halal",
        category="produk-halal",
        tags=("sertifikasi halal",),
        kinds=_KUA | _PENYULUH | _OFFICE,
        skip_units=("PAH5171",),
        titles=(
            "{short} Dampingi {n} Pelaku Usaha Mikro Urus Sertifikat Halal",
            "Sosialisasi Sertifikasi Halal Gratis untuk UMK di {place}",
            "Pendamping Proses Produk Halal Sambangi Pedagang Pasar {place}",
        ),
        leads=(
            "{unit} mendampingi {n} pelaku usaha mikro dan kecil mendaftarkan produknya melalui "
            "program sertifikasi halal skema pernyataan pelaku usaha.",
            "Pelaku usaha makanan dan minuman di {place} mendapat penjelasan tentang kewajiban dan tata "
            "cara sertifikasi halal dari {unit}.",
        ),
        details=(
            "Pendamping proses produk halal memeriksa bahan yang digunakan, alur produksi dan kebersihan "
            "tempat usaha sebelum membantu mengisi permohonan secara daring.",
            "Peserta sebagian besar adalah pembuat kue, keripik, sambal kemasan dan minuman tradisional "
            "yang dipasarkan di toko oleh-oleh dan pasar desa.",
            "Petugas menjelaskan bahwa sertifikat halal membuka peluang produk masuk ke toko modern dan "
            "pasar daring yang mensyaratkan label halal.",
            "Pelaku usaha juga diajak mencatat pemasok bahan baku agar kehalalan produk tetap terjaga "
            "setelah sertifikat terbit.",
        ),
        quotes=(
            "“Label halal memberi rasa aman bagi konsumen dan menambah nilai jual. Kami siap mendampingi "
            "sampai sertifikat terbit,” ungkap {name}, {head}.",
            "{name}, {head}, mengajak pelaku usaha yang belum terdaftar untuk datang ke kantor dan "
            "berkonsultasi tanpa biaya.",
        ),
        closings=("Pendampingan akan dilanjutkan ke desa-desa lain secara bergiliran hingga akhir tahun.",),
    ),
    Topic(
        program="moderasi-beragama",
        category="kepenyuluhan",
        tags=("moderasi beragama",),
        kinds=_PENYULUH | _OFFICE | _MADRASAH,
        titles=(
            "Penguatan Moderasi Beragama untuk Pemuda di {place}",
            "{short} Ajak Pelajar Jadi Duta Moderasi Beragama",
            "Sarasehan Moderasi Beragama Digelar {short}",
        ),
        leads=(
            "{unit} menggelar penguatan moderasi beragama yang diikuti {n} peserta dari kalangan pemuda, "
            "pelajar dan tokoh masyarakat pada {day}.",
            "Nilai toleransi, anti kekerasan, komitmen kebangsaan dan penerimaan terhadap tradisi menjadi "
            "bahan diskusi dalam kegiatan moderasi beragama di {place}.",
        ),
        details=(
            "Narasumber mengajak peserta bijak bermedia sosial dan tidak mudah membagikan informasi yang "
            "belum jelas kebenarannya, terutama yang menyinggung suku dan agama.",
            "Peserta dibagi dalam kelompok kecil untuk membahas kasus nyata di lingkungan mereka dan "
            "merumuskan cara menyikapinya dengan santun.",
            "Kegiatan ini melibatkan perwakilan organisasi kepemudaan lintas agama sehingga peserta "
            "dapat saling mengenal dan bertukar pandangan.",
            "Di akhir sesi peserta menyusun rencana aksi sederhana, seperti kampanye konten positif dan "
            "kerja bakti bersama di rumah ibadah.",
        ),
        quotes=(
            "“Moderasi beragama bukan memoderasi agamanya, melainkan cara kita beragama agar tetap adil "
            "dan berimbang,” tutur {name}, {head}.",
            "{head}, {name}, menyebut generasi muda sebagai garda terdepan menjaga kerukunan di dunia "
            "nyata maupun dunia maya.",
        ),
        closings=(
            "Para peserta diharapkan menularkan semangat moderasi kepada teman sebaya di sekolah dan kampung.",
        ),
    ),
    Topic(
        program="kerukunan",
        category="kerukunan-umat",
        tags=("kerukunan",),
        kinds=_OFFICE | _PENYULUH,
        participants=(25, 60),
        titles=(
            "Dialog Lintas Iman di {place} Perkuat Kebersamaan Warga",
            "{short} dan FKUB Gelar Silaturahmi Tokoh Agama",
            "Tokoh Lintas Agama {place} Bersama Jaga Kerukunan",
        ),
        leads=(
            "Tokoh agama Islam, Kristen, Katolik, Hindu, Buddha dan Khonghucu di {place} berkumpul dalam "
            "dialog lintas iman yang difasilitasi {unit} pada {day}.",
            "{unit} bersama Forum Kerukunan Umat Beragama mengadakan silaturahmi yang dihadiri {n} tokoh "
            "agama dan tokoh masyarakat.",
        ),
        details=(
            "Dialog membahas cara menjaga kerukunan menjelang hari besar keagamaan, termasuk pengaturan "
            "kegiatan di ruang publik agar tidak saling mengganggu.",
            "Para tokoh bersepakat membentuk jalur komunikasi cepat untuk meredam isu yang berpotensi "
            "memecah belah warga.",
            "Perwakilan pemerintah daerah dan kepolisian turut hadir dan menyampaikan dukungan terhadap "
            "program kerukunan di tingkat desa.",
            "Kegiatan diisi pula dengan kunjungan bersama ke beberapa rumah ibadah untuk mempererat "
            "persaudaraan.",
        ),
        quotes=(
            "“Kerukunan yang sudah terjaga lama harus terus dirawat. Perbedaan adalah kekayaan yang "
            "kita syukuri bersama,” kata {name}, {head}.",
            "{name}, {head}, mengapresiasi para tokoh yang selalu hadir menyejukkan suasana ketika "
            "muncul persoalan di masyarakat.",
        ),
        closings=("Pertemuan serupa akan digelar rutin setiap tiga bulan di rumah ibadah yang berbeda.",),
    ),
    Topic(
        program="mutu-pendidikan-agama",
        category="pendidikan-madrasah",
        tags=("madrasah hebat", "prestasi"),
        kinds=_MADRASAH,
        titles=(
            "Siswa {short} Raih Medali Kompetisi Sains Madrasah",
            "{short} Borong Juara Lomba Sains Tingkat Kabupaten",
            "Prestasi Membanggakan, Tim Robotik {short} Melaju ke Tingkat Provinsi",
        ),
        leads=(
            "Siswa {unit} kembali menorehkan prestasi dengan meraih medali pada ajang Kompetisi Sains "
            "Madrasah tingkat kabupaten.",
            "Kerja keras siswa dan guru pembimbing {unit} berbuah manis dalam kompetisi yang diikuti {n} "
            "peserta dari berbagai madrasah.",
        ),
        details=(
            "Persiapan dilakukan sejak awal semester melalui kelas pembinaan setiap sore, latihan soal "
            "dan simulasi ujian berbasis komputer.",
            "Bidang yang dilombakan meliputi matematika, IPA, IPS serta sains terintegrasi yang memadukan "
            "ilmu pengetahuan dengan nilai-nilai keagamaan.",
            "Madrasah memberikan penghargaan kepada siswa berprestasi dan guru pembimbing dalam apel "
            "pagi yang diikuti seluruh warga madrasah.",
            "Para pemenang akan mewakili kabupaten pada babak berikutnya dan mendapat pendampingan "
            "tambahan dari guru mata pelajaran.",
        ),
        quotes=(
            "“Prestasi ini membuktikan madrasah mampu bersaing. Terima kasih kepada orang tua yang terus "
            "mendukung anak-anak,” ujar {name}, {head}.",
            "{head}, {name}, berpesan agar siswa tetap rendah hati dan menjadikan prestasi sebagai "
            "penyemangat belajar.",
        ),
        closings=("Madrasah berharap prestasi ini memotivasi siswa lain untuk berani mengikuti kompetisi.",),
    ),
    Topic(
        program="layanan-pendidikan",
        category="pendidikan-madrasah",
        tags=("madrasah hebat",),
        kinds=_MADRASAH,
        titles=(
            "{short} Sambut Siswa Baru dengan Masa Ta'aruf yang Ramah Anak",
            "Matsama {short}: Siswa Baru Kenali Lingkungan Madrasah",
            "{short} Buka Pendaftaran Murid Baru Secara Daring",
        ),
        leads=(
            "Sebanyak {n} siswa baru mengikuti Masa Ta'aruf Siswa Madrasah (Matsama) di {unit} yang "
            "dikemas dengan kegiatan menyenangkan.",
            "{unit} mulai menerima pendaftaran murid baru melalui layanan daring yang dapat diakses "
            "orang tua dari telepon genggam.",
        ),
        details=(
            "Selama tiga hari siswa diperkenalkan pada tata tertib, budaya salam senyum sapa, dan "
            "program unggulan madrasah seperti tahfiz dan literasi.",
            "Panitia memastikan tidak ada perploncoan; seluruh kegiatan diawasi guru dan dirancang agar "
            "siswa merasa aman sejak hari pertama.",
            "Orang tua dapat memantau tahapan pendaftaran, jadwal tes dan pengumuman hasil seleksi "
            "melalui laman madrasah tanpa harus datang berulang kali.",
            "Madrasah juga menyediakan meja bantuan bagi orang tua yang kesulitan mengisi formulir daring.",
        ),
        quotes=(
            "“Kesan pertama di madrasah harus menyenangkan. Anak yang nyaman akan semangat belajar,” "
            "kata {name}, {head}.",
            "{name}, {head}, menegaskan seluruh proses penerimaan murid baru dilaksanakan secara "
            "transparan dan tanpa pungutan liar.",
        ),
        closings=("Informasi lengkap dapat ditanyakan langsung melalui layanan informasi madrasah.",),
    ),
    Topic(
        program="mutu-pendidikan-agama",
        category="pendidikan-madrasah",
        tags=("supervisi",),
        kinds=frozenset({UnitKind.POKJAWAS}),
        participants=(6, 18),
        titles=(
            "Pokjawas Gelar Supervisi Akademik di {n} Madrasah",
            "Pengawas Madrasah Dampingi Guru Susun Modul Ajar",
            "Pokjawas Pasuruan Latih Guru Madrasah Terapkan Pembelajaran Mendalam",
        ),
        leads=(
            "Kelompok Kerja Pengawas (Pokjawas) Madrasah melaksanakan supervisi akademik di {n} madrasah "
            "untuk memastikan mutu pembelajaran di kelas.",
            "Guru-guru madrasah mendapat pendampingan dari pengawas dalam menyusun modul ajar dan asesmen "
            "yang sesuai dengan kebutuhan siswa.",
        ),
        details=(
            "Pengawas mengamati langsung proses belajar mengajar lalu memberikan umpan balik kepada guru "
            "secara personal setelah pembelajaran selesai.",
            "Fokus pendampingan tahun ini adalah pembelajaran yang berpusat pada siswa serta penguatan "
            "profil pelajar rahmatan lil alamin.",
            "Hasil supervisi dirangkum menjadi rekomendasi untuk kepala madrasah sebagai bahan "
            "perencanaan pengembangan guru.",
        ),
        quotes=(
            "“Supervisi bukan mencari kesalahan. Kami datang sebagai teman belajar bagi guru,” jelas "
            "{name}, {head}.",
            "{name}, {head}, menyebut kolaborasi pengawas, kepala madrasah dan guru sebagai kunci "
            "peningkatan mutu.",
        ),
        closings=("Kegiatan pendampingan akan dilanjutkan melalui forum kelompok kerja guru setiap bulan.",),
    ),
    Topic(
        program="kehidupan-beragama",
        category="kepenyuluhan",
        tags=("penyuluh agama", "majelis taklim"),
        kinds=_PENYULUH | _KUA,
        skip_units=("PAH5171",),
        titles=(
            "Penyuluh Agama Bina Majelis Taklim di {place}",
            "Gerakan Bebas Buta Aksara Al-Qur'an Digelar di {place}",
            "Penyuluh {place} Sosialisasikan Pencegahan Perkawinan Anak",
        ),
        leads=(
            "Penyuluh agama {unit} rutin membina {n} jemaah majelis taklim dengan kajian tematik dan "
            "praktik ibadah sehari-hari.",
            "Penyuluh agama di {place} turun langsung ke desa-desa mengajak warga menjaga keluarga dan "
            "mencegah perkawinan usia anak.",
        ),
        details=(
            "Kajian pekan ini membahas adab bertetangga, pengelolaan sampah rumah tangga sebagai bagian "
            "dari iman, dan pentingnya pendidikan anak.",
            "Bagi jemaah yang belum lancar membaca Al-Qur'an, penyuluh membuka kelas khusus dengan metode "
            "yang mudah diikuti orang dewasa.",
            "Penyuluh bekerja sama dengan bidan desa dan kader PKK untuk menjangkau remaja dan orang tua "
            "dalam sosialisasi pencegahan perkawinan anak.",
            "Materi disampaikan dengan bahasa sederhana dan contoh yang dekat dengan kehidupan warga.",
        ),
        quotes=(
            "“Penyuluh harus hadir di tengah umat, mendengar persoalan mereka dan ikut mencari jalan "
            "keluarnya,” kata {name}, {head}.",
            "{name}, {head}, menyampaikan bahwa antusiasme jemaah terus meningkat dari bulan ke bulan.",
        ),
        closings=(
            "Kegiatan pembinaan dilaksanakan setiap pekan secara bergiliran di masjid dan musala desa.",
        ),
    ),
    Topic(
        program="layanan-keagamaan",
        category="layanan-kua",
        tags=("wakaf",),
        kinds=_KUA,
        participants=(8, 25),
        titles=(
            "{short} Percepat Sertifikasi Tanah Wakaf",
            "Nazir dan Tokoh Masyarakat {place} Ikuti Sosialisasi Wakaf Produktif",
        ),
        leads=(
            "{unit} bersama kantor pertanahan mempercepat sertifikasi {n} bidang tanah wakaf di wilayahnya.",
            "Para nazir di {place} mendapat pembekalan tentang pengelolaan wakaf produktif dari {unit}.",
        ),
        details=(
            "Tanah wakaf yang sebagian besar berupa masjid, musala, madrasah dan makam perlu memiliki "
            "sertifikat agar terlindungi dari sengketa di kemudian hari.",
            "Petugas membantu melengkapi akta ikrar wakaf, surat keterangan desa dan dokumen pendukung "
            "lainnya sebelum diajukan.",
            "Sosialisasi juga membahas contoh wakaf produktif seperti kebun, toko dan lahan pertanian "
            "yang hasilnya untuk kemaslahatan umat.",
        ),
        quotes=(
            "“Aset umat harus tertib administrasinya. Kami jemput bola agar nazir tidak kesulitan,” ujar "
            "{name}, {head}.",
        ),
        closings=("Masyarakat dapat berkonsultasi tentang wakaf di KUA pada jam layanan.",),
    ),
    Topic(
        program="tata-kelola",
        category="tata-kelola",
        tags=("zona integritas", "PTSP"),
        kinds=_OFFICE,
        titles=(
            "{short} Perkuat Komitmen Pembangunan Zona Integritas",
            "Layanan PTSP {short} Kini Lebih Cepat dan Terukur",
            "{short} Gelar Rapat Kerja Evaluasi Kinerja Semester",
        ),
        leads=(
            "Seluruh pegawai {unit} menandatangani pakta integritas sebagai komitmen membangun zona "
            "integritas menuju wilayah bebas dari korupsi.",
            "{unit} membenahi layanan Pelayanan Terpadu Satu Pintu (PTSP) agar masyarakat mendapat "
            "kepastian waktu dan biaya layanan.",
        ),
        details=(
            "Standar pelayanan setiap jenis layanan kini dipajang di ruang tunggu, lengkap dengan "
            "persyaratan, waktu penyelesaian dan keterangan bahwa layanan tidak dipungut biaya.",
            "Masyarakat dapat menyampaikan pengaduan melalui kode QR yang ditempel di sudut-sudut kantor "
            "maupun melalui laman resmi.",
            "Setiap bulan kantor mengukur indeks kepuasan masyarakat dan membahas hasilnya dalam rapat "
            "pimpinan.",
            "Rapat kerja juga mengevaluasi capaian kinerja satuan kerja di bawahnya, termasuk keaktifan "
            "kehumasan setiap KUA dan madrasah.",
        ),
        quotes=(
            "“Pelayanan yang bersih dan ramah adalah wajah Kementerian Agama di mata masyarakat,” tegas "
            "{name}, {head}.",
            "{name}, {head}, meminta seluruh jajaran menjadikan integritas sebagai kebiasaan, bukan "
            "sekadar slogan.",
        ),
        closings=("Kantor membuka ruang masukan dari masyarakat untuk perbaikan layanan berikutnya.",),
    ),
    Topic(
        program="layanan-keagamaan",
        category="layanan-kua",
        tags=("keluarga sakinah",),
        kinds=_KUA,
        participants=(12, 45),
        titles=(
            "Sidang Isbat Nikah Terpadu di {place} Bantu {n} Pasangan",
            "{short} Layani Pencatatan Nikah di Balai Nikah yang Baru Direnovasi",
        ),
        leads=(
            "{unit} bersama pengadilan agama dan dinas kependudukan menggelar sidang isbat nikah terpadu "
            "bagi {n} pasangan yang pernikahannya belum tercatat.",
            "Masyarakat {place} kini dapat melangsungkan akad nikah di balai nikah {unit} yang lebih "
            "nyaman dan tertata.",
        ),
        details=(
            "Pasangan yang pernikahannya disahkan langsung menerima buku nikah serta dokumen kependudukan "
            "yang diperbarui pada hari yang sama.",
            "Layanan nikah di balai nikah KUA pada jam kerja tidak dipungut biaya, sedangkan nikah di luar "
            "kantor mengikuti ketentuan yang berlaku.",
            "Petugas mengingatkan calon pengantin untuk mendaftar paling lambat sepuluh hari kerja sebelum "
            "akad agar berkas dapat diperiksa.",
        ),
        quotes=(
            "“Pernikahan yang tercatat melindungi hak istri dan anak. Kami ingin tidak ada lagi warga "
            "yang tertinggal,” kata {name}, {head}.",
        ),
        closings=("Informasi persyaratan pencatatan nikah tersedia di meja layanan KUA.",),
    ),
    Topic(
        program="kehidupan-beragama",
        category="kepenyuluhan",
        tags=("penyuluh agama", "kerukunan"),
        kinds=frozenset({UnitKind.PENYULUH}),
        only_units=("PAH5171",),
        titles=(
            "Penyuluh Agama Hindu Gelar Dharma Wacana bagi Generasi Muda",
            "Pembinaan Pasraman Kilat oleh Penyuluh Agama Hindu {place}",
            "Penyuluh Agama Hindu {place} Ajak Umat Rawat Tri Hita Karana",
        ),
        leads=(
            "Penyuluh agama Hindu {unit} menyampaikan dharma wacana yang diikuti {n} pemuda di banjar "
            "setempat.",
            "{unit} membina pasraman kilat bagi pelajar Hindu selama libur sekolah.",
        ),
        details=(
            "Materi dharma wacana mengangkat ajaran Tri Hita Karana: hubungan harmonis dengan Tuhan, "
            "sesama manusia dan alam.",
            "Pelajar belajar kidung, tata cara persembahyangan dan etika sehari-hari dengan bimbingan "
            "penyuluh dan pemangku.",
            "Penyuluh juga mengajak generasi muda menjaga kerukunan dengan umat beragama lain di "
            "lingkungan banjar.",
        ),
        quotes=(
            "“Anak muda perlu akar budaya dan agama yang kuat agar tidak mudah goyah,” ujar {name}, {head}.",
        ),
        closings=("Kegiatan ini mendapat dukungan dari prajuru banjar dan orang tua siswa.",),
    ),
    Topic(
        program="mutu-pendidikan-agama",
        category="pendidikan-madrasah",
        tags=("literasi", "madrasah hebat"),
        kinds=_MADRASAH,
        titles=(
            "Gerakan Literasi {short}: Lima Belas Menit Membaca Setiap Pagi",
            "{short} Adakan Gelar Karya Projek Profil Pelajar Rahmatan lil Alamin",
            "Siswa {short} Tanam Pohon dalam Program Madrasah Hijau",
        ),
        leads=(
            "{unit} membiasakan siswa membaca buku non-pelajaran selama lima belas menit sebelum "
            "pelajaran dimulai.",
            "Siswa {unit} memamerkan hasil projek penguatan profil pelajar dalam kegiatan gelar karya "
            "yang dihadiri orang tua.",
        ),
        details=(
            "Setiap kelas memiliki pojok baca dengan koleksi buku cerita, biografi tokoh dan majalah "
            "anak yang diganti secara bergilir.",
            "Karya yang dipamerkan antara lain produk daur ulang, poster kampanye hidup sehat dan "
            "naskah drama bertema toleransi.",
            "Program madrasah hijau mengajak siswa memilah sampah, merawat tanaman dan mengurangi "
            "penggunaan plastik sekali pakai di kantin.",
        ),
        quotes=(
            "“Kebiasaan kecil yang dilakukan setiap hari akan membentuk karakter anak,” kata {name}, {head}.",
            "{name}, {head}, mengapresiasi kreativitas siswa dan dukungan orang tua yang hadir.",
        ),
        closings=("Madrasah berencana mengundang madrasah sekitar pada gelar karya berikutnya.",),
    ),
    Topic(
        program="layanan-keagamaan",
        category="layanan-kua",
        tags=("penyuluh agama",),
        kinds=_KUA | _OFFICE,
        participants=(5, 15),
        titles=(
            "Tim Hisab Rukyat {short} Laksanakan Pemantauan Hilal",
            "{short} Sosialisasikan Arah Kiblat kepada Takmir Masjid",
        ),
        leads=(
            "Tim hisab rukyat {unit} melaksanakan pemantauan hilal awal bulan hijriah dari titik "
            "pengamatan di {place}.",
            "{unit} mengukur ulang arah kiblat {n} masjid dan musala atas permintaan takmir.",
        ),
        details=(
            "Pengamatan menggunakan teleskop dan theodolit, disaksikan ulama setempat serta perwakilan "
            "organisasi kemasyarakatan Islam.",
            "Hasil pengamatan dilaporkan secara berjenjang sebagai bahan sidang isbat penetapan awal bulan.",
            "Pengukuran arah kiblat dilakukan dengan bantuan aplikasi dan kompas yang telah dikalibrasi, "
            "lalu hasilnya diserahkan dalam bentuk berita acara.",
        ),
        quotes=(
            "“Kami memastikan masyarakat beribadah dengan tenang karena arah kiblat dan penanggalan sudah "
            "diperiksa dengan cermat,” ujar {name}, {head}.",
        ),
        closings=("Takmir yang ingin mengukur arah kiblat dapat mengajukan permohonan ke KUA setempat.",),
    ),
)

WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
