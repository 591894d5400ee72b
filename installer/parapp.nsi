; ParApp installer (NSIS 3, Unicode). A commune officer installs it alone:
; per-user, no administrator rights, Vietnamese throughout.
;
; Built by installer/build.py:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSRCDIR=dist/ParApp -DOUTFILE=... parapp.nsi
; (on Windows the options start with / instead of -). Optional: -DICON=parapp.ico,
; -DFAST (zlib instead of solid LZMA, for checking the script quickly in CI).
;
; What it does
; - installs dist/ParApp (one-folder PyInstaller build) to %LOCALAPPDATA%\Programs\ParApp;
; - Start-menu and desktop shortcuts;
; - opens ParApp bundles (*.parapp, standard zip files) in ParApp, via HKCU\Software\Classes;
; - an uninstaller registered under HKCU (Settings > Apps) that KEEPS the user's data
;   (%LOCALAPPDATA%\ParApp) unless "Xoá cả dữ liệu của ParApp" is ticked, and never deletes
;   a portable "data" folder next to the program.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "Pass the frozen app folder: makensis -DSRCDIR=dist/ParApp"
!endif
!ifndef OUTFILE
  !define OUTFILE "ParApp-${VERSION}-setup.exe"
!endif

!ifdef FAST
  SetCompressor zlib
!else
  SetCompressor /SOLID lzma
!endif

!define APP_NAME "ParApp"
!define APP_EXE "ParApp.exe"
!define PUBLISHER "ParApp"
!define PROGID "ParApp.Bundle"
!define BUNDLE_EXT ".parapp"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"
!define DATA_DIR "$LOCALAPPDATA\${APP_NAME}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "Software\${APP_NAME}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"

; -- version resource (Properties > Details of the setup program) ---------------------------
!searchparse /noerrors "${VERSION}" "" V_MAJOR "." V_MINOR "." V_PATCH
!ifndef V_MAJOR
  !define V_MAJOR 0
!endif
!ifndef V_MINOR
  !define V_MINOR 0
!endif
!ifndef V_PATCH
  !define V_PATCH 0
!endif
VIProductVersion "${V_MAJOR}.${V_MINOR}.${V_PATCH}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Cài đặt ${APP_NAME} — tự đánh giá Chỉ số cải cách hành chính"
VIAddVersionKey /LANG=0 "LegalCopyright" "Giấy phép MIT"

; -- pages ----------------------------------------------------------------------------------
!ifdef ICON
  !if /FileExists "${ICON}"
    !define MUI_ICON "${ICON}"
    !define MUI_UNICON "${ICON}"
  !endif
!endif
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Chương trình này cài ${APP_NAME} — phần mềm tự đánh giá, chấm điểm Chỉ số cải cách hành chính — cho riêng tài khoản Windows của bạn.$\r$\n$\r$\nKhông cần quyền quản trị và không cần kết nối Internet.$\r$\n$\r$\nBấm Tiếp để tiếp tục."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APP_NAME} ngay"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "Dữ liệu tự đánh giá, tài liệu kiểm chứng và khoá ký của bạn nằm trong ${DATA_DIR}. Mặc định dữ liệu được GIỮ LẠI để cài lại hoặc nâng cấp không mất gì. Chỉ đánh dấu ô dưới đây nếu bạn chắc chắn muốn xoá hẳn (nên sao lưu trước)."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"

; -- checks ---------------------------------------------------------------------------------
Function .onInit
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} cần Windows 10 trở lên."
    Abort
  ${EndIf}
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} cần Windows 64 bit."
    Abort
  ${EndIf}
FunctionEnd

; -- install ----------------------------------------------------------------------------------
Section "${APP_NAME}" SecApp
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program folder whole, so no file of the old version lingers.
  ; The user's data is elsewhere (or in $INSTDIR\data for a portable copy) and is kept.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}/*"

  WriteUninstaller "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\${APP_NAME}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "Software\${APP_NAME}" "Version" "${VERSION}"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "Tự đánh giá Chỉ số cải cách hành chính"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "Tự đánh giá Chỉ số cải cách hành chính"

  ; ParApp bundles (*.parapp, zip files) open in ParApp.
  WriteRegStr HKCU "Software\Classes\${BUNDLE_EXT}" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${BUNDLE_EXT}" "Content Type" "application/zip"
  WriteRegStr HKCU "Software\Classes\${BUNDLE_EXT}\OpenWithProgids" "${PROGID}" ""
  ; ParApp writes bundles as ordinary .zip files (they travel by e-mail and chat apps that
  ; distrust unknown extensions): offer ParApp in "Open with" for .zip, without taking over.
  WriteRegStr HKCU "Software\Classes\.zip\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "Hồ sơ tự đánh giá ParApp"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open" "" "Mở bằng ${APP_NAME}"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Settings > Apps: name, version, size, uninstaller.
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; -- uninstall --------------------------------------------------------------------------------
Section "un.${APP_NAME}" UnSecApp
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  ; Only the program's own files: a portable "data" folder next to it is left alone.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\parapp-cli.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"

  ReadRegStr $0 HKCU "Software\Classes\${BUNDLE_EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "Software\Classes\${BUNDLE_EXT}"
  ${Else}
    DeleteRegValue HKCU "Software\Classes\${BUNDLE_EXT}\OpenWithProgids" "${PROGID}"
  ${EndIf}
  DeleteRegValue HKCU "Software\Classes\.zip\OpenWithProgids" "${PROGID}"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP_NAME}"
SectionEnd

Section /o "un.Xoá cả dữ liệu của ParApp" UnSecData
  RMDir /r "${DATA_DIR}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecApp} "Gỡ chương trình ${APP_NAME}, lối tắt và liên kết tệp .parapp."
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "Xoá hẳn mọi dữ liệu trong ${DATA_DIR}: bản tự đánh giá, tài liệu kiểm chứng, khoá ký, bản sao lưu. Không thể hoàn tác."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
