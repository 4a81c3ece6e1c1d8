"""Word lists for the generated corpus: real Indonesian words of the kind humas
news is written in, ordered roughly from most to least frequent so that a
Zipf distribution over the rank gives common and rare words, as in real text.
"""

# Function words first: in real Indonesian news these are the most frequent
# tokens, and PostgreSQL's ``indonesian`` configuration has no stop-word list,
# so they land in every search vector just as they would in production.
FUNCTION_WORDS = """
yang dan di dengan untuk dari ini pada dalam ke para oleh akan juga tersebut
sebagai bagi serta agar kepada telah bahwa dapat itu karena atau tidak lebih
harus sudah kami kita mereka ia beliau setiap seluruh semua antara hingga
sehingga melalui terhadap secara yakni yaitu namun selain tentang saat ketika
sejak bersama masih sangat menjadi adalah ada tetap bisa pun baik
""".split()

# Content words of Kemenag humas news, most common first.
CONTENT_WORDS = """
kegiatan kepala kantor agama kementerian madrasah masyarakat pelayanan kabupaten
penyuluh kemenag kecamatan umat beragama moderasi pendidikan program acara peserta
siswa guru islam layanan tahun hari kerja pegawai pembinaan kota provinsi wilayah
kerukunan humas kehumasan informasi publik berita sosialisasi kepala seksi
bimbingan pengantin perkawinan nikah calon pasangan keluarga sakinah anak
rapat koordinasi evaluasi laporan kinerja aparatur sipil negara apel pagi upacara
pengajian majelis taklim masjid musala pesantren santri ustaz kiai ulama tokoh
pemuda desa kelurahan warga lingkungan sekolah murid orang tua wali komite
haji umrah jemaah calon keberangkatan manasik pelunasan kuota embarkasi
zakat wakaf infak sedekah badan amil sertifikat tanah ikrar nazir
halal produk sertifikasi usaha pelaku mikro kecil pendamping proses
pelatihan peningkatan kompetensi kapasitas sumber daya manusia literasi
digital teknologi aplikasi sistem data administrasi dokumen arsip surat
kurikulum merdeka pembelajaran ujian asesmen akreditasi prestasi lomba juara
olimpiade sains riset karya tulis ilmiah perpustakaan buku membaca
toleransi antarumat harmoni damai dialog lintas iman forum komunikasi
kristen katolik hindu buddha khonghucu gereja pura vihara klenteng
penguatan nilai karakter budaya lokal kearifan kebangsaan cinta tanah air
kebersihan kesehatan gizi stunting pencegahan penanganan bencana bantuan sosial
anggaran realisasi perencanaan pengawasan reformasi birokrasi integritas zona
pelayanan prima kepuasan survei indeks pengaduan keterbukaan transparansi
akuntabel bersih melayani wilayah bebas korupsi gratifikasi pungutan liar
peringatan hari besar maulid nabi isra miraj tahun baru hijriah ramadan
idulfitri iduladha kurban hewan pemotongan pembagian daging salat jumat
tarawih tadarus khatam quran hafalan tahfiz tilawah kaligrafi hadrah
musabaqah seni budaya festival pawai obor takbiran malam hijriah
pembukaan penutupan resmi dibuka ditutup menyampaikan mengatakan menjelaskan
menambahkan berharap mengajak mengapresiasi menghadiri mengikuti melaksanakan
dilaksanakan diikuti dihadiri digelar diselenggarakan bertempat aula gedung
halaman lapangan ruang pertemuan sambutan arahan materi narasumber pemateri
diskusi tanya jawab sesi peserta antusias semangat sukses lancar khidmat
kunjungan silaturahmi audiensi monitoring supervisi pengawas pokjawas
penilaian verifikasi validasi pendataan pemutakhiran sistem informasi
bersinergi sinergi kolaborasi kerja sama nota kesepahaman pemerintah daerah
bupati wali kota camat lurah kepala desa polsek koramil puskesmas
rumah ibadah pembangunan renovasi peresmian peletakan batu pertama
kafilah qari qariah mufasir dai daiyah mubalig khatib imam muazin takmir
""".split()

# Rare terms: real words and names that few items contain. Each item carries
# one with a small probability, Zipf-distributed over this list, so the
# corpus has words whose document frequency ranges from thousands to a few.
RARE_WORDS = """
istigasah muhasabah rukyatulhilal hisab falakiyah gerhana kusuf khusuf
mualaf syahadat tablig akbar selawatan barzanji diba marhaban rebana
marawis gambus kasidah nasyid qiraah sabah asyarah murattal tartil tahsin
tajwid makharijul huruf gharib musykilat fahmil syarhil hifzil
manaqib haul tahlilan yasinan ziarah makam wali songo sunan
bedug nuzulul lailatulqadar itikaf fidyah kafarat dam tawaf sai wukuf
mabit jumrah miqat ihram tahalul arbain raudah multazam hijir ismail
zamzam miqat bir ali tanim jiranah masyair mina arafah muzdalifah
kiswah baitullah nabawi quba uhud badar khandaq hudaibiyah
siwak sorban peci songkok sarung mukena sajadah tasbih kopiah
sekaten grebeg maulud gunungan kupatan lebaran ketupat opor rendang
ondel megengan dugderan nyadran sadranan rewanda meugang balimau
pacu jalur tabuik tabot hoyak batagak pangulu mandi safar
nyepi ngembak geni melasti tawur kesanga ogoh pengerupukan galungan kuningan
waisak pindapata pradaksina kathina asadha magha puja cap gomeh
imlek sembahyang ronde qingming paskah jumat agung kenaikan pentakosta natal
adven prapaskah rabu abu misa ekaristi katekese katekumen sidi baptis
pesparawi pesparani utsawa dharma gita lomba kidung rohani
""".split()

# Names for reporters and editors (credits on each item).
FIRST_NAMES = """
Ahmad Muhammad Siti Nur Abdul Dewi Sri Agus Budi Rina Fitri Rahmat Hasan
Yusuf Aisyah Fatimah Ali Umar Ibrahim Ismail Zainal Rahmawati Wahyu Eko
Dwi Tri Putri Ayu Rizki Fajar Hidayat Syamsul Arifin Nurul Hikmah Lestari
Made Ketut Wayan Nyoman Yohanes Maria Theresia Paulus Stefanus Antonius
""".split()
LAST_NAMES = """
Saputra Hidayat Rahman Hakim Nugroho Santoso Wibowo Kurniawan Setiawan
Hasibuan Nasution Siregar Lubis Harahap Pane Daulay Pohan Simatupang
Sitompul Tanjung Makmur Syahputra Ramadhan Maulana Firmansyah Gunawan
Pratama Wijaya Susanto Handayani Astuti Utami Rahayu Suryani Wulandari
Manurung Sinaga Tampubolon Lumbantobing Pardede Sembiring Ginting Tarigan
""".split()

# Provinces with their time zone, and some of their kabupaten/kota: the
# corpus builds a Kanwil per province and Kankemenag per kabupaten/kota.
PROVINCES = [
    ("Sulawesi Selatan", "Asia/Makassar", ["Gowa", "Maros", "Bone", "Wajo", "Pinrang", "Luwu"]),
    ("Jawa Timur", "Asia/Jakarta", ["Pasuruan", "Sidoarjo", "Malang", "Jember", "Kediri", "Tuban"]),
    ("Jawa Barat", "Asia/Jakarta", ["Bogor", "Garut", "Cianjur", "Tasikmalaya", "Cirebon"]),
    ("Jawa Tengah", "Asia/Jakarta", ["Kudus", "Demak", "Jepara", "Pati", "Rembang"]),
    ("Nusa Tenggara Timur", "Asia/Makassar", ["Kupang", "Ende", "Sikka", "Alor"]),
    ("Bali", "Asia/Makassar", ["Badung", "Gianyar", "Tabanan", "Buleleng"]),
    ("Papua", "Asia/Jayapura", ["Jayapura", "Merauke", "Biak Numfor", "Nabire"]),
    ("Maluku", "Asia/Jayapura", ["Ambon", "Tual", "Buru"]),
    ("Sumatera Utara", "Asia/Jakarta", ["Medan", "Deli Serdang", "Langkat", "Asahan"]),
    ("Aceh", "Asia/Jakarta", ["Banda Aceh", "Pidie", "Bireuen", "Aceh Besar"]),
    ("Kalimantan Selatan", "Asia/Makassar", ["Banjarmasin", "Banjar", "Tapin", "Balangan"]),
    ("Nusa Tenggara Barat", "Asia/Makassar", ["Mataram", "Lombok Timur", "Bima", "Dompu"]),
]

KECAMATAN = """
Bangil Gempol Pandaan Sukorejo Purwosari Beji Kraton Rembang Wonorejo Lekok
Nguling Grati Winongan Tosari Tutur Puspo Lumbang Pasrepan Kejayan Prigen
Somba Opu Bontonompo Pallangga Bajeng Tinggimoncong Parangloe Mandai Turikale
Bantimurung Simbang Tanralili Kajuara Tonra Mare Sibulue Cina Barebbo Palakka
Sengkang Tempe Pammana Takkalalla Sajoanging Majauleng Watang Sawitto Paleteang
Tiroang Lembang Duampanua Batulappa Bua Ponrang Bajo Larompong Suli Belopa
Kalabahi Teluk Mutiara Alor Barat Kabola Pantar Lewoleba Maumere Kewapante
Nita Lela Bola Paga Ende Ndona Wolowaru Detusoko Nangapanda Maurole
Kuta Mengwi Abiansemal Petang Ubud Sukawati Blahbatuh Tegallalang Payangan
Kediri Marga Penebel Baturiti Seririt Sukasada Sawan Kubutambahan Tejakula
Abepura Heram Muara Tami Sentani Waena Semangga Tanah Miring Kurik Kimaam
Sirimau Nusaniwe Baguala Leitimur Teluk Ambon Namlea Waeapo Airbuaya
Medan Johor Medan Amplas Percut Lubuk Pakam Tanjung Morawa Stabat Binjai
Kisaran Air Joman Meureudu Sigli Peusangan Jeumpa Kota Jantho Darul Imarah
Martapura Astambul Rantau Paringin Gerung Selong Aikmel Woha Dompu Sila
""".split()
